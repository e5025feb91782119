// Builds frontend/dist from npm packages and our sources. No network, no CDN.
import { compile } from "sass";
import { cpSync, mkdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const root = dirname(dirname(fileURLToPath(import.meta.url)));
const modules = join(root, "node_modules");
const dist = join(root, "frontend", "dist");

rmSync(dist, { recursive: true, force: true });
mkdirSync(join(dist, "css"), { recursive: true });
mkdirSync(join(dist, "js"), { recursive: true });
mkdirSync(join(dist, "swagger"), { recursive: true });

const css = compile(join(root, "frontend", "scss", "application.scss"), {
  loadPaths: [root, modules],
  style: "compressed",
  quietDeps: true,
  silenceDeprecations: ["import"],
});
writeFileSync(join(dist, "css", "application.css"), css.css);

const assets = [
  ["govuk-frontend/dist/govuk/assets", "govuk/assets"],
  ["@ministryofjustice/frontend/moj/assets/images", "govuk/assets/images"],
];
for (const [from, to] of assets) {
  cpSync(join(modules, from), join(dist, to), { recursive: true });
}

// Scripts are copied without their source-map comments: the maps are not shipped.
const scripts = [
  ["govuk-frontend/dist/govuk/all.bundle.js", "js/govuk-frontend.js"],
  ["@ministryofjustice/frontend/moj/all.bundle.js", "js/moj-frontend.js"],
  ["htmx.org/dist/htmx.min.js", "js/htmx.min.js"],
  ["chart.js/dist/chart.umd.min.js", "js/chart.umd.min.js"],
  ["cytoscape/dist/cytoscape.min.js", "js/cytoscape.min.js"],
  ["leaflet/dist/leaflet.js", "js/leaflet.js"],
  ["swagger-ui-dist/swagger-ui-bundle.js", "swagger/swagger-ui-bundle.js"],
];
for (const [from, to] of scripts) {
  const source = readFileSync(join(modules, from), "utf8");
  writeFileSync(join(dist, to), source.replace(/\/\/# sourceMappingURL=.*$/gm, ""));
}
cpSync(join(root, "frontend", "js"), join(dist, "js"), { recursive: true });
cpSync(join(modules, "leaflet/dist/leaflet.css"), join(dist, "css", "leaflet.css"));
cpSync(join(modules, "leaflet/dist/images"), join(dist, "css", "images"), { recursive: true });
const swaggerCss = readFileSync(join(modules, "swagger-ui-dist/swagger-ui.css"), "utf8");
writeFileSync(join(dist, "swagger", "swagger-ui.css"), swaggerCss.replace(/\/\*# sourceMappingURL=.*\*\//g, ""));
console.log(`Front end built into ${dist}`);
