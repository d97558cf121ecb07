// Disconnect: the app's oauth/disconnect/ view takes a POST with the CSRF token, then the
// page reloads to show "Connect Calendly" again.
(function () {
  "use strict";
  const button = document.getElementById("disconnect");
  const problem = document.getElementById("disconnect-error");
  const csrf = document.querySelector('meta[name="csrf-token"]').content;
  button.addEventListener("click", async function () {
    button.disabled = true;
    problem.hidden = true;
    try {
      const answer = await fetch(button.dataset.url, {
        method: "POST", credentials: "same-origin",
        headers: {"X-CSRFToken": csrf, "Accept": "application/json"},
      });
      if (!answer.ok) throw new Error("the server answered " + answer.status);
      window.location.reload();
    } catch (err) {
      problem.textContent = "Could not disconnect: " + err.message;
      problem.hidden = false;
      button.disabled = false;
    }
  });
})();
