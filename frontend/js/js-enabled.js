// Loaded at the very top of <body> so styles for JavaScript-enabled pages apply at once.
document.body.className +=
  " js-enabled" + ("noModule" in HTMLScriptElement.prototype ? " govuk-frontend-supported" : "");
