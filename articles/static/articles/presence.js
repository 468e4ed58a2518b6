// "Gerade geöffnet von …": while an article's change form is open, tell the server every
// 20 seconds and show who else has it open (articles.admin: presence_view). No inline
// script: the CSP allows scripts from our own origin only.
"use strict";
(function () {
  const notice = document.getElementById("presence-notice");
  if (!notice) {
    return;
  }
  const url = notice.dataset.presenceUrl;
  const csrf = document.querySelector("input[name=csrfmiddlewaretoken]");
  const INTERVAL = 20000;

  function show(others) {
    if (others.length) {
      notice.textContent = "Gerade geöffnet von " + others.join(", ") +
        ": Änderungen, die sich überschneiden, zeigt das Speichern als Konflikt.";
      notice.hidden = false;
    } else {
      notice.hidden = true;
      notice.textContent = "";
    }
  }

  function ping() {
    if (document.hidden) {
      return;
    }
    fetch(url, {
      method: "POST",
      credentials: "same-origin",
      headers: {"X-CSRFToken": csrf ? csrf.value : ""},
    })
      .then((response) => (response.ok ? response.json() : {others: []}))
      .then((data) => show(data.others || []))
      .catch(() => {});  // offline for a moment: the next ping tries again
  }

  window.setInterval(ping, INTERVAL);
  document.addEventListener("visibilitychange", ping);
})();
