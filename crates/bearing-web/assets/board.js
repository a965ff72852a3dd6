// The ranked board: drag and drop with SortableJS, saved through the JSON
// API (one move writes one row). Without JavaScript, the Up/Down buttons
// beside each idea post ordinary forms; with it, they move in place too.
// The API call rides on the session cookie, so it must carry the session's
// CSRF token (from the layout's csrf-token meta tag) in X-CSRF-Token.
(function () {
  "use strict";
  var list = document.getElementById("board-list");
  if (!list || !window.Sortable) { return; }
  var status = document.getElementById("board-status");
  var tokenMeta = document.querySelector("meta[name='csrf-token']");
  var csrfToken = tokenMeta ? tokenMeta.getAttribute("content") : "";
  function say(msg) { if (status) { status.textContent = msg; } }
  function idOf(el) { return el ? el.getAttribute("data-id") : null; }
  function renumber() {
    Array.prototype.forEach.call(list.querySelectorAll(".board-pos"), function (el, i) { el.textContent = String(i + 1); });
  }
  function save(item) {
    var body = { after_id: idOf(item.previousElementSibling), before_id: idOf(item.nextElementSibling) };
    say("Saving…");
    return fetch("/api/v1/ideas/" + idOf(item) + "/move", {
      method: "POST", credentials: "same-origin",
      headers: { "Content-Type": "application/json", "X-CSRF-Token": csrfToken }, body: JSON.stringify(body)
    }).then(function (r) {
      if (!r.ok) { return r.json().then(function (e) { throw new Error(e.error && e.error.message || "could not move"); }); }
      renumber();
      say("Moved “" + item.getAttribute("data-title") + "” to position " + (Array.prototype.indexOf.call(list.children, item) + 1) + ".");
    }).catch(function (e) { say(e.message + " Reloading…"); setTimeout(function () { location.reload(); }, 1200); });
  }
  if (list.getAttribute("data-editable") === "true") {
    Sortable.create(list, { handle: ".drag-handle", animation: 150, onEnd: function (ev) { if (ev.oldIndex !== ev.newIndex) { save(ev.item); } } });
    list.addEventListener("click", function (ev) {
      var btn = ev.target.closest("button[data-dir]");
      if (!btn) { return; }
      ev.preventDefault();
      var item = btn.closest("li");
      var dir = btn.getAttribute("data-dir");
      var other = dir === "up" ? item.previousElementSibling : item.nextElementSibling;
      if (!other) { return; }
      if (dir === "up") { list.insertBefore(item, other); } else { list.insertBefore(other, item); }
      save(item).then(function () { var again = item.querySelector("button[data-dir='" + dir + "']"); if (again) { again.focus(); } });
    });
  }
})();
