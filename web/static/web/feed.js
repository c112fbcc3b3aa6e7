/* @mention autocomplete for every textarea marked data-mentions (no inline scripts: CSP). */
(function () {
  "use strict";
  var timer = null;

  function wordBeforeCaret(area) {
    var before = area.value.slice(0, area.selectionStart);
    var match = /(^|[^\w@])@(\w{1,30})$/.exec(before);
    return match ? match[2] : null;
  }

  function close(area) {
    var list = area.parentNode.querySelector(".mention-list");
    if (list) list.remove();
  }

  function insert(area, handle) {
    var caret = area.selectionStart;
    var before = area.value.slice(0, caret).replace(/@(\w{1,30})$/, "@" + handle + " ");
    area.value = before + area.value.slice(caret);
    area.focus();
    area.setSelectionRange(before.length, before.length);
    close(area);
  }

  function show(area, members) {
    close(area);
    if (!members.length) return;
    var list = document.createElement("ul");
    list.className = "mention-list";
    list.setAttribute("role", "listbox");
    members.forEach(function (m) {
      var item = document.createElement("li");
      var button = document.createElement("button");
      button.type = "button";
      button.textContent = m.name + " (@" + m.handle + ")";
      button.addEventListener("click", function () { insert(area, m.handle); });
      item.appendChild(button);
      list.appendChild(item);
    });
    area.parentNode.appendChild(list);
  }

  document.addEventListener("input", function (event) {
    var area = event.target;
    if (!area.matches || !area.matches("textarea[data-mentions]")) return;
    var typed = wordBeforeCaret(area);
    clearTimeout(timer);
    if (!typed) { close(area); return; }
    timer = setTimeout(function () {
      fetch("/feed/mentions/?q=" + encodeURIComponent(typed), { credentials: "same-origin" })
        .then(function (r) { return r.ok ? r.json() : { members: [] }; })
        .then(function (data) { show(area, data.members || []); })
        .catch(function () { close(area); });
    }, 150);
  });

  document.addEventListener("keydown", function (event) {
    if (event.key === "Escape" && event.target.matches && event.target.matches("textarea[data-mentions]")) {
      close(event.target);
    }
  });
})();
