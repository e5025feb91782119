// Idle-session warning (GOV.UK "timeout warning" pattern). The server enforces the
// timeout; this only tells the user before it happens and lets them stay signed in.
(function () {
  "use strict";
  var body = document.body;
  var timeoutSeconds = parseInt(body.getAttribute("data-session-timeout") || "0", 10);
  var warningSeconds = parseInt(body.getAttribute("data-session-warning") || "120", 10);
  var keepAliveUrl = body.getAttribute("data-session-keepalive-url");
  var signedOutUrl = body.getAttribute("data-session-signed-out-url");
  var dialog = document.getElementById("session-timeout-dialog");
  if (!timeoutSeconds || !keepAliveUrl || !dialog || typeof dialog.showModal !== "function") {
    return;
  }
  var countdown = dialog.querySelector("[data-countdown]");
  var stayButton = dialog.querySelector("[data-stay-signed-in]");
  var warnTimer = null;
  var expireTimer = null;
  var tickTimer = null;
  var deadline = 0;

  function minutesAndSeconds(seconds) {
    var m = Math.floor(seconds / 60);
    var s = seconds % 60;
    var parts = [];
    if (m > 0) parts.push(m + (m === 1 ? " minute" : " minutes"));
    if (s > 0 || m === 0) parts.push(s + (s === 1 ? " second" : " seconds"));
    return parts.join(" ");
  }

  function tick() {
    var left = Math.max(0, Math.round((deadline - Date.now()) / 1000));
    // Announce once a minute, not every second, so screen readers are not flooded.
    if (left % 60 === 0 || left <= 10 || !countdown.textContent) {
      countdown.textContent = minutesAndSeconds(left);
    }
  }

  function schedule() {
    clearTimeout(warnTimer);
    clearTimeout(expireTimer);
    clearInterval(tickTimer);
    deadline = Date.now() + timeoutSeconds * 1000;
    warnTimer = setTimeout(showWarning, Math.max(0, (timeoutSeconds - warningSeconds) * 1000));
    expireTimer = setTimeout(function () {
      window.location.href = signedOutUrl;
    }, timeoutSeconds * 1000);
  }

  function showWarning() {
    countdown.textContent = "";
    tick();
    tickTimer = setInterval(tick, 1000);
    dialog.showModal();
    stayButton.focus();
  }

  function staySignedIn() {
    var csrf = document.querySelector("meta[name='csrf-token']");
    fetch(keepAliveUrl, {
      method: "POST",
      credentials: "same-origin",
      redirect: "manual",
      headers: { "X-CSRFToken": csrf ? csrf.getAttribute("content") : "" },
    }).then(function (response) {
      if (response.ok) {
        dialog.close();
        schedule();
      } else {
        window.location.href = signedOutUrl;
      }
    });
  }

  stayButton.addEventListener("click", staySignedIn);
  dialog.addEventListener("cancel", function (event) {
    event.preventDefault();
    staySignedIn();
  });
  // htmx requests also count as activity on the server.
  document.addEventListener("htmx:afterRequest", schedule);
  schedule();
})();
