// Network explorer: draws the JSON view with Cytoscape.js, lists the same records and
// links in tables (the accessible alternative and the timeline), expands a node on
// double-click (tap twice), and exports the view as PNG or i2 CSV. No inline script.
(function () {
  "use strict";
  var form = document.getElementById("network-filters");
  var container = document.getElementById("network-graph");
  if (!form || !container || typeof window.cytoscape !== "function") return;

  container.style.height = "520px";
  container.style.border = "1px solid #b1b4b6";
  // Cytoscape adds an inline <style> for its container unless an element with this id is
  // already there, and the page CSP (style-src 'self') refuses inline styles. Mark it as
  // present and set its one rule through the CSSOM, which the CSP allows.
  if (!document.getElementById("__________cytoscape_stylesheet")) {
    var marker = document.createElement("meta");
    marker.id = "__________cytoscape_stylesheet";
    document.head.appendChild(marker);
  }
  container.style.position = "relative";
  container.style.marginBottom = "30px";
  var message = document.getElementById("network-message");
  var nodeRows = document.getElementById("network-node-rows");
  var linkRows = document.getElementById("network-link-rows");
  var csvLink = document.getElementById("export-csv");
  var cy = window.cytoscape({
    container: container,
    wheelSensitivity: 0.3,
    // A view of a few records would otherwise be zoomed until the labels overlap.
    maxZoom: 1.6,
    style: [
      { selector: "node", style: { label: "data(label)", "font-size": 10, "background-color": "#505a5f", color: "#0b0c0c", "text-wrap": "ellipsis", "text-max-width": 120 } },
      { selector: "node[?isChild]", style: { "background-color": "#d4351c", shape: "round-rectangle" } },
      { selector: "node[?isDealLine]", style: { "background-color": "#1d70b8", shape: "diamond" } },
      { selector: "node.start", style: { "border-width": 4, "border-color": "#ffdd00" } },
      { selector: "edge", style: { width: 2, "line-color": "#b1b4b6", "curve-style": "bezier", label: "data(typeLabel)", "font-size": 8, color: "#505a5f", "text-rotation": "autorotate", "text-background-color": "#ffffff", "text-background-opacity": 0.85 } },
      { selector: ".on-path", style: { "line-color": "#ffdd00", "border-color": "#ffdd00", "border-width": 3, width: 4 } },
    ],
  });

  function query(extra) {
    var params = new URLSearchParams(new FormData(form));
    Object.keys(extra || {}).forEach(function (key) { params.set(key, extra[key]); });
    if (!params.get("to")) params.delete("to");
    return params;
  }

  function cell(text) {
    var td = document.createElement("td");
    td.className = "govuk-table__cell";
    td.textContent = text;
    return td;
  }

  function labelOf(id) {
    var node = cy.getElementById(id);
    return node.nonempty() ? node.data("label") : id;
  }

  function fillTables() {
    nodeRows.textContent = "";
    cy.nodes().sort(function (a, b) { return a.data("distance") - b.data("distance"); }).forEach(function (node) {
      var row = document.createElement("tr");
      row.className = "govuk-table__row";
      var first = document.createElement("td");
      first.className = "govuk-table__cell";
      var link = document.createElement("a");
      link.className = "govuk-link";
      link.href = node.data("url");
      link.textContent = node.data("label");
      first.appendChild(link);
      row.appendChild(first);
      row.appendChild(cell(node.data("kindLabel")));
      row.appendChild(cell(String(node.data("distance"))));
      row.appendChild(cell(String(node.data("childrenLinked"))));
      row.appendChild(cell(String(node.data("community") + 1)));
      nodeRows.appendChild(row);
    });
    linkRows.textContent = "";
    cy.edges().sort(function (a, b) { return (a.data("validFrom") || "").localeCompare(b.data("validFrom") || ""); }).forEach(function (edge) {
      var row = document.createElement("tr");
      row.className = "govuk-table__row";
      row.appendChild(cell(labelOf(edge.data("source"))));
      row.appendChild(cell(edge.data("typeLabel") + (edge.data("contacts") ? " (" + edge.data("contacts") + " contacts)" : "")));
      row.appendChild(cell(labelOf(edge.data("target"))));
      row.appendChild(cell((edge.data("validFrom") || "not known") + " to " + (edge.data("validTo") || "now")));
      row.appendChild(cell(edge.data("grading")));
      linkRows.appendChild(row);
    });
  }

  function show(data, replace) {
    if (replace) cy.elements().remove();
    data.nodes.forEach(function (node) {
      if (cy.getElementById(node.id).empty()) cy.add({ group: "nodes", data: node });
    });
    data.edges.forEach(function (edge) {
      if (cy.getElementById(edge.id).empty()) cy.add({ group: "edges", data: edge });
    });
    cy.getElementById(form.elements.node.value).addClass("start");
    cy.elements().removeClass("on-path");
    data.path.forEach(function (id) { cy.getElementById(id).addClass("on-path"); });
    for (var i = 1; i < data.path.length; i += 1) {
      cy.edges("[source = '" + data.path[i - 1] + "'][target = '" + data.path[i] + "'], [source = '" + data.path[i] + "'][target = '" + data.path[i - 1] + "']").addClass("on-path");
    }
    cy.layout({ name: "cose", animate: false, randomize: false }).run();
    var summary = cy.nodes().length + " records and " + cy.edges().length + " links in " + data.components + " connected group" + (data.components === 1 ? "" : "s") + ".";
    message.textContent = (data.message ? data.message + " " : "") + summary;
    fillTables();
    csvLink.href = form.dataset.csvUrl + "?" + query().toString();
  }

  function load(extra, replace) {
    message.textContent = "Loading the network…";
    fetch(form.dataset.dataUrl + "?" + query(extra).toString(), { credentials: "same-origin", headers: { Accept: "application/json" } })
      .then(function (response) {
        return response.json().then(function (body) { return { ok: response.ok, body: body }; });
      })
      .then(function (result) {
        if (!result.ok) {
          // problem+json (RFC 9457): the field messages, else the title.
          var errors = (result.body.errors || []).map(function (error) { return error.message; });
          message.textContent = errors.length ? errors.join(" ") : result.body.title || "The network could not be shown.";
          return;
        }
        show(result.body, replace);
      })
      .catch(function () { message.textContent = "The network could not be loaded. Try again."; });
  }

  form.addEventListener("submit", function (event) {
    event.preventDefault();
    load({}, true);
  });
  cy.on("dbltap", "node", function (event) {
    load({ node: event.target.id(), depth: "1", children: "" }, false);
  });
  document.getElementById("export-png").addEventListener("click", function () {
    var link = document.createElement("a");
    link.href = cy.png({ full: true, scale: 2, bg: "#ffffff" });
    link.download = "network.png";
    document.body.appendChild(link);
    link.click();
    link.remove();
  });
  load({}, true);
})();
