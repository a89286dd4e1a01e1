/* CareDesk web-chat widget. Embed with one tag:
 *   <script src="https://clinic.example/static/webchat/widget.js" data-caredesk-url="https://clinic.example" async></script>
 * Protocol: see caredesk/integrations/webchat/consumers.py. No build step, no dependencies. */
(function () {
  "use strict";
  if (window.__caredeskWebchat) return; // a page that includes the tag twice still gets one launcher
  window.__caredeskWebchat = true;

  // currentScript is set for classic async scripts; the selector covers loaders that inject us.
  var script = document.currentScript || document.querySelector("script[data-caredesk-url]");
  var base = ((script && script.getAttribute("data-caredesk-url")) || new URL(script.src).origin).replace(/\/+$/, "");
  var socketUrl = base.replace(/^http/, "ws") + "/ws/webchat/";
  var tokenKey = "caredesk-webchat-token:" + base; // one clinic's token never resumes another's chat
  var MAX_BACKOFF_MS = 10000;
  var TYPING_EVERY_MS = 2000;

  var CSS = [
    ":host{all:initial}",
    "*{box-sizing:border-box;font-family:system-ui,-apple-system,'Segoe UI',Roboto,sans-serif;font-size:16px;line-height:1.4}",
    ".launcher{position:fixed;right:16px;bottom:16px;z-index:2147483000;width:64px;height:64px;border-radius:50%;border:0;",
    "background:var(--cd-accent);color:#fff;cursor:pointer;box-shadow:0 4px 12px rgba(0,0,0,.3);",
    "display:flex;align-items:center;justify-content:center}",
    ".launcher:focus-visible,button:focus-visible,input:focus-visible,textarea:focus-visible{outline:3px solid var(--cd-focus);outline-offset:2px}",
    ".panel{position:fixed;inset:0;z-index:2147483001;display:flex;flex-direction:column;background:#fff;color:#1b1b1b}",
    "@media (min-width:480px){.panel{inset:auto 16px 96px auto;width:370px;height:min(600px,calc(100vh - 120px));",
    "border-radius:12px;box-shadow:0 8px 28px rgba(0,0,0,.3);overflow:hidden}}",
    "[hidden]{display:none!important}",
    "header{display:flex;align-items:center;justify-content:space-between;padding:12px 16px;background:var(--cd-accent);color:#fff}",
    "h2{margin:0;font-size:18px}",
    ".close{min-width:44px;min-height:44px;border:0;background:transparent;color:#fff;font-size:24px;cursor:pointer}",
    "form{display:flex;flex-direction:column;gap:4px}",
    ".intro{padding:16px;overflow:auto}",
    ".intro .hint{margin-top:8px}",
    "label{font-weight:600;margin-top:10px}",
    "input,textarea{width:100%;min-height:44px;padding:10px;border:1px solid #767676;border-radius:8px;color:inherit}",
    "[aria-invalid=true]{border-color:var(--cd-error)}",
    ".hint{color:#4a4a4a;font-size:14px}",
    "p{margin:0}",
    ".error{color:var(--cd-error);font-size:14px}",
    ".error:empty,.status:empty{display:none}",  // empty slots would leave gaps in the form and chat
    ".primary{min-height:48px;margin-top:14px;border:0;border-radius:8px;background:var(--cd-accent);color:#fff;font-weight:600;cursor:pointer}",
    ".chat{display:flex;flex-direction:column;flex:1;min-height:0}",
    ".log{flex:1;overflow-y:auto;margin:0;padding:12px;list-style:none;display:flex;flex-direction:column;gap:8px;background:#f4f6f8}",
    ".msg{max-width:85%;padding:8px 12px;border-radius:14px;white-space:pre-wrap;overflow-wrap:anywhere}",
    ".msg.patient{align-self:flex-end;background:var(--cd-accent);color:#fff;border-bottom-right-radius:4px}",
    ".msg.clinic{align-self:flex-start;background:#fff;border:1px solid #d0d7de;border-bottom-left-radius:4px}",
    ".state{display:block;font-size:13px;opacity:.85}",
    ".msg.failed{background:#fff;color:var(--cd-error);border:1px solid var(--cd-error)}",
    ".status{padding:4px 12px;font-size:14px;color:#4a4a4a}",
    ".compose{flex-direction:row;align-items:flex-end;gap:8px;padding:8px 12px 12px;border-top:1px solid #d0d7de}",
    ".compose textarea{flex:1;resize:none;max-height:120px}",
    ".compose .primary{margin:0;padding:0 16px}",
    ".sr{position:absolute;width:1px;height:1px;overflow:hidden;clip:rect(0 0 0 0);white-space:nowrap}",
    ".panel,.launcher{--cd-accent:#0b5cad;--cd-focus:#f5a623;--cd-error:#b00020}"
  ].join("");

  var HTML =
    '<button class="launcher" type="button" aria-expanded="false" aria-controls="cd-panel"' +
    ' aria-label="Chat with us / Chatee con nosotros">' +
    // An inline icon, not an emoji: devices without an emoji font would show an empty box.
    '<svg viewBox="0 0 24 24" width="30" height="30" aria-hidden="true" fill="currentColor">' +
    '<path d="M4 3h16a2 2 0 0 1 2 2v11a2 2 0 0 1-2 2H9l-5 4v-4a2 2 0 0 1-2-2V5a2 2 0 0 1 2-2z"/></svg></button>' +
    '<section class="panel" id="cd-panel" role="dialog" aria-labelledby="cd-title" hidden>' +
    '<header><h2 id="cd-title">Chat with us / Chatee con nosotros</h2>' +
    '<button class="close" type="button" aria-label="Close chat / Cerrar chat">&times;</button></header>' +
    '<div class="intro"><form class="start" novalidate>' +
    '<p class="hint">Tell us who you are so we can help. / Díganos quién es para poder ayudarle.</p>' +
    field("name", "Your name / Su nombre", "text", "name") +
    '<p class="hint" id="cd-contact-hint">Give a phone number or an email. / Dé un teléfono o un correo electrónico.</p>' +
    field("phone", "Phone number / Número de teléfono", "tel", "tel") +
    field("email", "Email / Correo electrónico", "email", "email") +
    '<p class="error" id="cd-contact-error" role="alert"></p><p class="error" id="cd-start-error" role="alert"></p>' +
    '<button class="primary" type="submit">Start chat / Empezar el chat</button></form></div>' +
    '<div class="chat" hidden><ol class="log" aria-label="Messages / Mensajes"></ol>' +
    '<p class="status" role="status"></p>' +
    '<p class="error" id="cd-body-error" role="alert"></p>' +
    '<form class="compose"><label class="sr" for="cd-body">Your message / Su mensaje</label>' +
    '<textarea id="cd-body" name="body" rows="1" maxlength="5000" aria-describedby="cd-body-error"></textarea>' +
    '<button class="primary" type="submit">Send / Enviar</button></form></div>' +
    '<div class="sr" aria-live="polite" aria-atomic="true"></div></section>';

  function field(name, label, type, autocomplete) {
    var describedBy = "cd-" + name + "-error" + (name === "name" ? "" : " cd-contact-hint cd-contact-error");
    return '<label for="cd-' + name + '">' + label + "</label>" +
      '<input id="cd-' + name + '" name="' + name + '" type="' + type + '" autocomplete="' + autocomplete +
      '" aria-describedby="' + describedBy + '">' + '<p class="error" id="cd-' + name + '-error"></p>';
  }

  // A shadow root keeps the clinic's stylesheet out of ours and ours out of theirs.
  var host = document.createElement("div");
  host.setAttribute("data-caredesk-webchat", "");
  var root = host.attachShadow({ mode: "open" });
  root.innerHTML = "<style>" + CSS + "</style>" + HTML;
  var $ = function (selector) { return root.querySelector(selector); };
  var ui = {
    launcher: $(".launcher"), panel: $(".panel"), close: $(".close"), intro: $(".intro"), start: $(".start"),
    chat: $(".chat"), log: $(".log"), status: $(".status"), compose: $(".compose"), body: $("#cd-body"),
    announcer: $("[aria-live]")
  };

  var state = {
    socket: null, attempts: 0, timer: null, inSession: false, startFrame: null, lastTyping: 0,
    seen: {},      // message id → true, so history and live frames never show a message twice
    pending: []    // [{client_id, body, el}] in send order, until each is acked
  };

  function storage(action, value) {
    // Storage throws when the browser blocks it (private modes, iframes); the chat still works unresumed.
    try {
      if (action === "get") return localStorage.getItem(tokenKey);
      if (action === "set") localStorage.setItem(tokenKey, value);
      if (action === "clear") localStorage.removeItem(tokenKey);
    } catch (e) { return null; }
  }

  function newClientId() {
    if (window.crypto && crypto.randomUUID) return crypto.randomUUID();
    // randomUUID exists only on https pages; clinic sites on plain http still need unique ids.
    var bytes = crypto.getRandomValues(new Uint8Array(16));
    return Array.prototype.map.call(bytes, function (b) { return (b + 256).toString(16).slice(1); }).join("");
  }

  /* ---- connection ---- */

  function connect() {
    if (state.socket) return;
    var socket = state.socket = new WebSocket(socketUrl);
    socket.onopen = function () {
      var token = storage("get");
      if (token) send({ type: "resume", token: token });
      else if (state.startFrame) send(state.startFrame);
    };
    socket.onmessage = function (event) {
      var frame;
      try { frame = JSON.parse(event.data); } catch (e) { return; }
      (handlers[frame.type] || function () {})(frame);
    };
    socket.onclose = function () {
      state.socket = null;
      state.inSession = false;
      scheduleReconnect();
    };
  }

  function scheduleReconnect() {
    if (!storage("get") && !state.startFrame) return; // nothing to resume: reconnect when the visitor starts
    // Exponential backoff with jitter, so a restarted server is not hit by every widget at once.
    var ceiling = Math.min(MAX_BACKOFF_MS, 500 * Math.pow(2, state.attempts++));
    var delay = ceiling / 2 + Math.random() * ceiling / 2;
    setStatus("Reconnecting… / Reconectando…");
    clearTimeout(state.timer);
    state.timer = setTimeout(connect, delay);
  }

  function send(frame) {
    if (!state.socket || state.socket.readyState !== WebSocket.OPEN) return false;
    state.socket.send(JSON.stringify(frame));
    return true;
  }

  var handlers = {
    session: function (frame) {
      storage("set", frame.token);
      state.inSession = true;
      state.attempts = 0;
      state.startFrame = null;
      setStatus("");
      frame.messages.forEach(addMessage);
      showChat();
      // The server dedupes by client_id, so re-sending a message whose ack was lost cannot double it.
      state.pending.forEach(function (item) { send({ type: "message", client_id: item.client_id, body: item.body }); });
    },
    ack: function (frame) {
      var item = takePending(frame.client_id);
      if (!item) return;
      // Stored before a lost ack, it already came back in the resumed history: keep that copy only.
      if (state.seen[frame.id]) return item.el.remove();
      state.seen[frame.id] = true;
      item.el.querySelector(".state").textContent = "";
    },
    message: function (frame) {
      addMessage(frame.message);
      if (frame.message.author !== "patient") ui.announcer.textContent = "Clinic / Clínica: " + frame.message.body;
    },
    error: showServerError
  };

  /* ---- rendering ---- */

  function bubble(author, body, stateText) {
    var li = document.createElement("li");
    li.className = "msg " + (author === "patient" ? "patient" : "clinic");
    var who = document.createElement("span");
    who.className = "sr";
    who.textContent = author === "patient" ? "You / Usted: " : "Clinic / Clínica: ";
    var text = document.createElement("span");
    text.textContent = body; // textContent, never innerHTML: message bodies are untrusted
    var status = document.createElement("span");
    status.className = "state";
    status.textContent = stateText || "";
    li.append(who, text, status);
    // Pending messages stay last, where the visitor wrote them, until they are acknowledged.
    var firstPending = state.pending.length ? state.pending[0].el : null;
    ui.log.insertBefore(li, stateText ? null : firstPending);
    ui.log.scrollTop = ui.log.scrollHeight;
    return li;
  }

  function addMessage(message) {
    if (state.seen[message.id]) return;
    state.seen[message.id] = true;
    bubble(message.author, message.body);
  }

  function takePending(clientId) {
    var index = state.pending.findIndex(function (item) { return item.client_id === clientId; });
    return index < 0 ? null : state.pending.splice(index, 1)[0];
  }

  function setStatus(text) { ui.status.textContent = text; }

  function showChat() {
    var wasHidden = ui.chat.hidden;
    ui.intro.hidden = true;
    ui.chat.hidden = false;
    if (wasHidden && !ui.panel.hidden) ui.body.focus();
  }

  function showForm() {
    state.inSession = false;
    ui.chat.hidden = true;
    ui.intro.hidden = false;
  }

  function clearErrors() {
    root.querySelectorAll(".error").forEach(function (el) { el.textContent = ""; });
    root.querySelectorAll("[aria-invalid]").forEach(function (el) { el.removeAttribute("aria-invalid"); });
  }

  function showServerError(frame) {
    if (frame.field === "token") {
      // The saved session is gone: start over, keeping what the visitor typed so it can be sent after.
      storage("clear");
      showForm();
      return fieldError("start", frame.error);
    }
    var item = frame.client_id ? takePending(frame.client_id) : null;
    if (item) {
      item.el.classList.add("failed");
      item.el.querySelector(".state").textContent = "Not sent / No se envió";
      return fieldError("body", frame.error);
    }
    if (frame.field === "session") return send({ type: "resume", token: storage("get") || "" });
    var startField = ["name", "phone", "email", "contact"].indexOf(frame.field) >= 0;
    if (startField) state.startFrame = null; // a reconnect must not resend a start the server refused
    var known = startField || frame.field === "body";
    fieldError(known ? frame.field : ui.chat.hidden ? "start" : "body", frame.error);
  }

  function fieldError(name, message) {
    var target = $("#cd-" + name + "-error");
    target.textContent = message;
    var input = name === "contact" ? $("#cd-phone") : $("#cd-" + name);
    if (!input) return;
    input.setAttribute("aria-invalid", "true");
    if (!ui.panel.hidden) input.focus();
  }

  /* ---- visitor actions ---- */

  function openPanel() {
    ui.panel.hidden = false;
    ui.launcher.setAttribute("aria-expanded", "true");
    (ui.chat.hidden ? $("#cd-name") : ui.body).focus();
    connect();
  }

  function closePanel() {
    ui.panel.hidden = true;
    ui.launcher.setAttribute("aria-expanded", "false");
    ui.launcher.focus();
  }

  ui.launcher.addEventListener("click", function () { ui.panel.hidden ? openPanel() : closePanel(); });
  ui.close.addEventListener("click", closePanel);
  ui.panel.addEventListener("keydown", function (event) { if (event.key === "Escape") closePanel(); });

  ui.start.addEventListener("submit", function (event) {
    event.preventDefault();
    clearErrors();
    var values = { name: $("#cd-name").value.trim(), phone: $("#cd-phone").value.trim(), email: $("#cd-email").value.trim() };
    // Checked here too so the visitor hears about a blank field at once, even while offline.
    if (!values.name) return fieldError("name", "Please tell us your name. / Por favor, díganos su nombre.");
    if (!values.phone && !values.email) {
      return fieldError("contact", "Please give a phone number or an email. / Dé un teléfono o un correo.");
    }
    state.startFrame = { type: "start", name: values.name, phone: values.phone, email: values.email };
    storage("clear");
    if (!send(state.startFrame)) connect();
  });

  ui.compose.addEventListener("submit", function (event) {
    event.preventDefault();
    var body = ui.body.value.trim();
    if (!body) return;
    $("#cd-body-error").textContent = "";
    var item = { client_id: newClientId(), body: body };
    item.el = bubble("patient", body, "sending… / enviando…");
    state.pending.push(item);
    if (state.inSession) send({ type: "message", client_id: item.client_id, body: body });
    ui.body.value = "";
    ui.body.focus();
  });

  ui.body.addEventListener("keydown", function (event) {
    // Enter sends, Shift+Enter starts a new line, as in other chat apps.
    if (event.key === "Enter" && !event.shiftKey && !event.isComposing) {
      event.preventDefault();
      ui.compose.requestSubmit();
    }
  });

  ui.body.addEventListener("input", function () {
    var now = Date.now();
    if (!state.inSession || now - state.lastTyping < TYPING_EVERY_MS) return; // one notice per 2 s is enough for staff
    state.lastTyping = now;
    send({ type: "typing" });
  });

  function mount() {
    document.body.appendChild(host);
    if (storage("get")) connect(); // resume at once, so replies arrive even before the panel is opened
  }

  if (document.body) mount();
  else document.addEventListener("DOMContentLoaded", mount);
})();
