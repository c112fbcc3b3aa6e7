// Messaging's behaviours, as a static file (no inline script under the CSP): an idempotency
// key per send, the composer emptied after a send, member suggestions for "To", and the live
// stream (server-sent events): a new message refreshes the badge, the inbox, or the open
// conversation without a reload.
(function () {
  "use strict";

  function newKey() {
    if (window.crypto && window.crypto.randomUUID) {
      return window.crypto.randomUUID();
    }
    return String(Date.now()) + "-" + String(Math.random()).slice(2);
  }

  // One key per message typed: a double click or a retry sends the same key.
  document.addEventListener("submit", function (event) {
    var field = event.target.querySelector && event.target.querySelector("[data-idempotency-key]");
    if (field && !field.value) {
      field.value = newKey();
    }
  }, true);
  var sending = 0; // sends from this page in flight: their own echo on the stream is skipped
  document.addEventListener("htmx:configRequest", function (event) {
    var form = event.detail.elt;
    if (!(form instanceof HTMLFormElement)) {
      return;
    }
    if (form.hasAttribute("data-reset-after-send")) {
      sending += 1;
    }
    var field = form.querySelector("[data-idempotency-key]");
    if (field) {
      if (!field.value) {
        field.value = newKey();
      }
      event.detail.parameters.key = field.value;
    }
  });

  document.addEventListener("htmx:afterRequest", function (event) {
    var form = event.detail.elt;
    if (form.hasAttribute && form.hasAttribute("data-reset-after-send")) {
      sending = Math.max(0, sending - 1);
    }
    if (form.hasAttribute && form.hasAttribute("data-reset-after-send") && event.detail.successful
        && !event.detail.xhr.getResponseHeader("HX-Retarget")) {
      form.reset();
      var field = form.querySelector("[data-idempotency-key]");
      if (field) {
        field.value = "";
      }
      scrollDown();
    }
  });

  // A message can come twice (the send's answer and the stream's fetch): keep the first.
  document.addEventListener("htmx:afterSwap", function () {
    var seen = {};
    document.querySelectorAll("#messages [data-message-id]").forEach(function (item) {
      var id = item.getAttribute("data-message-id");
      if (seen[id]) {
        item.remove();
      }
      seen[id] = true;
    });
  });

  function scrollDown() {
    var list = document.getElementById("messages");
    if (list) {
      list.scrollTop = list.scrollHeight;
    }
  }

  // "To": the viewer's connections first, as the @mention autocomplete suggests them.
  var timer = null;
  document.addEventListener("input", function (event) {
    var field = event.target;
    var url = field.getAttribute && field.getAttribute("data-suggest-members");
    if (!url) {
      return;
    }
    window.clearTimeout(timer);
    timer = window.setTimeout(function () {
      fetch(url + "?q=" + encodeURIComponent(field.value.replace(/^@/, "")), {credentials: "same-origin"})
        .then(function (response) { return response.json(); })
        .then(function (body) {
          var list = document.getElementById(field.getAttribute("list"));
          list.textContent = "";
          body.members.forEach(function (member) {
            var option = document.createElement("option");
            option.value = member.handle;
            option.textContent = member.name;
            list.appendChild(option);
          });
        })
        .catch(function () {});
    }, 150);
  });

  function lastMessageId() {
    var items = document.querySelectorAll("#messages [data-message-id]");
    return items.length ? items[items.length - 1].getAttribute("data-message-id") : "0";
  }

  function onConversation(data) {
    document.body.dispatchEvent(new CustomEvent("linkwell:messaging"));
    var open = document.getElementById("conversation");
    if (open && String(data.conversation_id) === open.getAttribute("data-conversation")) {
      if (document.getElementById("message-" + data.message_id)
          || (sending > 0 && String(data.sender_id) === document.body.getAttribute("data-me"))) {
        return; // already shown, or this page's own send, whose answer shows it
      }
      window.htmx.ajax("GET", open.getAttribute("data-live-url") + "?since_id=" + lastMessageId(),
        {target: "#messages", swap: "beforeend"}).then(scrollDown);
      return;
    }
    var inbox = document.getElementById("conversations");
    if (inbox) {
      window.htmx.ajax("GET", inbox.getAttribute("data-live-refresh") + "?list=1",
        {target: "#thread-list", swap: "innerHTML"});
    }
  }

  function listen() {
    var url = document.body.getAttribute("data-live-stream");
    if (!url || !window.EventSource) {
      return;
    }
    var source = new EventSource(url);
    source.addEventListener("conversation", function (event) {
      try {
        onConversation(JSON.parse(event.data));
      } catch (error) { /* a malformed event is skipped */ }
    });
    source.addEventListener("notification", function () {
      document.body.dispatchEvent(new CustomEvent("linkwell:notification"));
    });
    document.body.setAttribute("data-live", "open");
    source.addEventListener("open", function () {
      document.body.setAttribute("data-live", "connected");
    });
  }

  document.addEventListener("DOMContentLoaded", function () {
    scrollDown();
    listen();
  });
})();
