// Messaging's behaviours, as a static file (no inline script under the CSP): an idempotency
// key per send, the composer emptied after a send, member suggestions for "To", and the
// fallback to polling when the live stream (htmx's SSE extension) isn't there.
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
  document.addEventListener("htmx:configRequest", function (event) {
    var form = event.detail.elt;
    if (!(form instanceof HTMLFormElement)) {
      return;
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

  // A message can come twice (the send's answer and the stream's fetch): keep the first,
  // and ask for what follows the newest one next time (`#since-id`, sent by #live-thread).
  document.addEventListener("htmx:afterSwap", function () {
    var seen = {};
    document.querySelectorAll("#messages [data-message-id]").forEach(function (item) {
      var id = item.getAttribute("data-message-id");
      if (seen[id]) {
        item.remove();
      }
      seen[id] = true;
    });
    var since = document.getElementById("since-id");
    if (since && lastMessageId() !== "0") {
      since.value = lastMessageId();
    }
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

  // Live delivery is htmx's SSE extension (`sse-connect` on <body>, `sse:` triggers on the
  // badges, the inbox and the open thread). With no stream (no EventSource, or the stream
  // failing), the same elements are refreshed every POLL_MS by `linkwell:poll` instead.
  var POLL_MS = 10000;
  var poller = null;

  function poll(on) {
    if (on && !poller) {
      poller = window.setInterval(function () {
        document.body.dispatchEvent(new CustomEvent("linkwell:poll"));
      }, POLL_MS);
    } else if (!on && poller) {
      window.clearInterval(poller);
      poller = null;
    }
  }

  document.addEventListener("htmx:sseOpen", function () {
    document.body.setAttribute("data-live", "connected");
    poll(false);
  });
  document.addEventListener("htmx:sseError", function () {
    document.body.setAttribute("data-live", "polling");
    poll(true);
  });
  // An element's own `sse:` trigger fetches what changed; scroll to the newest message.
  document.addEventListener("htmx:afterSettle", function (event) {
    var target = event.detail.target || event.detail.elt;
    if (target && target.id === "messages") {
      scrollDown();
    }
  });

  document.addEventListener("DOMContentLoaded", function () {
    scrollDown();
    if (document.body.hasAttribute("sse-connect")) {
      if (!document.body.hasAttribute("data-live")) {
        document.body.setAttribute("data-live", "open");
      }
      if (!window.EventSource) {
        document.body.setAttribute("data-live", "polling");
        poll(true);
      }
    }
  });
})();
