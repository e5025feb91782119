// Idle-session warning (GOV.UK "timeout warning" pattern). The server enforces the
// timeout; this only tells the user before it happens and lets them stay signed in.
// Before warning or signing out it asks the server how long is left, so a tab left open
// does not interrupt someone who is working in another tab.
(function () {
  "use strict";
  var body = document.body;
  var timeoutSeconds = parseInt(body.getAttribute("data-session-timeout") || "0", 10);
  var warningSeconds = parseInt(body.getAttribute("data-session-warning") || "120", 10);
  var keepAliveUrl = body.getAttribute("data-session-keepalive-url");
  var statusUrl = body.getAttribute("data-session-status-url");
  var signedOutUrl = body.getAttribute("data-session-signed-out-url");
  var dialog = document.getElementById("session-timeout-dialog");
  if (!timeoutSeconds || !keepAliveUrl || !dialog || typeof dialog.showModal !== "function") {
    return;
  }
  var countdown = dialog.querySelector("[data-countdown]");
  var stayButton = dialog.querySelector("[data-stay-signed-in]");
  var timer = null;
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

  function secondsLeftOnServer(callback) {
    fetch(statusUrl, { credentials: "same-origin", redirect: "manual" })
      .then(function (response) {
        return response.ok ? response.json() : { seconds_left: 0 };
      })
      .then(function (data) {
        callback(data.seconds_left || 0);
      })
      .catch(function () {
        callback(0);
      });
  }

  // Plan the next check for when the warning would be due.
  function scheduleFrom(secondsLeft) {
    clearTimeout(timer);
    deadline = Date.now() + secondsLeft * 1000;
    timer = setTimeout(check, Math.max(1000, (secondsLeft - warningSeconds) * 1000));
  }

  function check() {
    secondsLeftOnServer(function (left) {
      if (left <= 0) {
        window.location.href = signedOutUrl;
      } else if (left > warningSeconds + 5) {
        // Activity elsewhere: close any warning and wait again.
        if (dialog.open) dialog.close();
        clearInterval(tickTimer);
        scheduleFrom(left);
      } else {
        deadline = Date.now() + left * 1000;
        showWarning();
        clearTimeout(timer);
        timer = setTimeout(check, Math.min(left, 15) * 1000);
      }
    });
  }

  function showWarning() {
    if (dialog.open) return;
    countdown.textContent = "";
    tick();
    clearInterval(tickTimer);
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
        clearInterval(tickTimer);
        scheduleFrom(timeoutSeconds);
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
  document.addEventListener("htmx:afterRequest", function () {
    scheduleFrom(timeoutSeconds);
  });
  scheduleFrom(timeoutSeconds);
})();
