/* The clinic's chat widget. One tag embeds it:
 *   <script src="https://ASSISTANT-HOST/widget/chat.js" defer></script>
 * Plain JavaScript, no build step, no cookies, no third party; no inline script or style,
 * so it works under a strict Content-Security-Policy. Bot text is always set as text;
 * the only links are the source URLs the server supplies.
 */
(function () {
  "use strict";
  var script = document.currentScript;
  var BASE = new URL(script ? script.src : "/widget/chat.js", window.location.href).origin;
  var STORE = "breastcalc-widget:" + BASE;
  var state = { session: null, log: [], notice: "", maxChars: 1000 };
  var config = null;
  var el = {};
  var busy = false;

  function make(tag, attrs, text) {
    var node = document.createElement(tag);
    Object.keys(attrs || {}).forEach(function (k) { node.setAttribute(k, attrs[k]); });
    if (text) { node.textContent = text; }
    return node;
  }

  function save() {
    try { sessionStorage.setItem(STORE, JSON.stringify(state)); } catch (e) { /* private mode: no memory */ }
  }

  function load() {
    try {
      var saved = JSON.parse(sessionStorage.getItem(STORE) || "null");
      if (saved && saved.session) { state = saved; }
    } catch (e) { /* ignore */ }
  }

  function post(path, body) {
    return fetch(BASE + path, {
      method: "POST", headers: { "Content-Type": "application/json" },
      body: JSON.stringify(body || {}), credentials: "omit", cache: "no-store"
    }).then(function (response) {
      return response.json().then(function (data) { return { status: response.status, data: data }; });
    });
  }

  function unreachable() {
    var nurse = config ? config.nurse_line : "your clinic";
    return "I can't reach the assistant right now. Please call the nurse line at " + nurse +
      ". In an emergency, call 911.";
  }

  // --- rendering --------------------------------------------------------------------------
  function renderMessage(entry) {
    var item = make("div", { "class": "bcw-msg bcw-" + entry.from });
    if (entry.from === "bot" && entry.urgency) {
      item.className += " bcw-urgent";
      item.setAttribute("role", "alert");
    }
    var who = make("span", { "class": "bcw-sr" }, entry.from === "user" ? "You said: " : "Assistant: ");
    item.appendChild(who);
    var body = entry.text || "";
    var sourceAt = body.lastIndexOf("\nSource: ");
    var main = sourceAt >= 0 ? body.slice(0, sourceAt) : body;
    main.split(/\n+/).forEach(function (para) { item.appendChild(make("p", {}, para)); });
    if (entry.sources && entry.sources.length) {
      var line = make("p", { "class": "bcw-source" }, "Source: ");
      entry.sources.forEach(function (src, i) {
        if (i) { line.appendChild(document.createTextNode(", ")); }
        if (/^https:\/\//.test(src.url)) {
          line.appendChild(make("a", { href: src.url, target: "_blank", rel: "noopener noreferrer" }, src.name));
        } else {
          line.appendChild(document.createTextNode(src.name));
        }
      });
      item.appendChild(line);
    } else if (sourceAt >= 0) {
      item.appendChild(make("p", { "class": "bcw-source" }, body.slice(sourceAt + 1)));
    }
    return item;
  }

  function renderButtons(buttons) {
    el.quick.textContent = "";
    (buttons || []).forEach(function (b) {
      var button = make("button", { type: "button", "class": "bcw-quick" }, b.title);
      button.addEventListener("click", function () { send(b.payload, b.title); });
      el.quick.appendChild(button);
    });
  }

  function redraw() {
    el.log.textContent = "";
    if (state.notice) { el.log.appendChild(make("div", { "class": "bcw-msg bcw-notice" }, state.notice)); }
    state.log.forEach(function (entry) { el.log.appendChild(renderMessage(entry)); });
    var last = state.log.length ? state.log[state.log.length - 1] : null;
    renderButtons(last && last.from === "bot" ? last.buttons : []);
    el.log.scrollTop = el.log.scrollHeight;
  }

  function addBotMessages(messages) {
    messages.forEach(function (m) {
      var custom = m.custom || {};
      state.log.push({ from: "bot", text: m.text || "", buttons: m.buttons || [],
        sources: custom.sources || [], urgency: custom.urgency || null });
    });
    save();
    redraw();
    var urgent = messages.some(function (m) { return m.custom && m.custom.urgency; });
    if (!urgent) { el.status.textContent = messages.length ? "The assistant replied." : ""; }
  }

  function showError(text) {
    state.log.push({ from: "bot", text: text, buttons: [], sources: [], urgency: null });
    save();
    redraw();
  }

  // --- talking to the server --------------------------------------------------------------
  function startSession() {
    return post("/widget/session").then(function (r) {
      if (r.status !== 200) { throw new Error("session"); }
      state.session = r.data.session;
      state.notice = r.data.notice || "";
      state.maxChars = r.data.max_chars || 1000;
      state.log = [];
      save();
      redraw();
    });
  }

  function deliver(payload, attempt) {
    return post("/widget/message", payload).catch(function (error) {
      if (attempt === 0) { return deliver(payload, 1); }  // one retry; the server drops a repeated id
      throw error;
    });
  }

  function send(text, shown) {
    if (busy || !text || !text.trim()) { return; }
    if (text.length > state.maxChars) {
      el.count.textContent = "Please keep your message under " + state.maxChars + " characters.";
      return;
    }
    busy = true;
    el.send.disabled = true;
    state.log.push({ from: "user", text: shown || text });
    save();
    redraw();
    el.typing.hidden = false;
    el.status.textContent = "The assistant is typing.";
    var ready = state.session ? Promise.resolve() : startSession().then(function () {
      state.log.push({ from: "user", text: shown || text }); save(); redraw();
    });
    var id = (window.crypto && crypto.randomUUID) ? crypto.randomUUID() : String(Date.now()) + Math.random();
    ready.then(function () {
      return deliver({ session: state.session, message: text, id: id }, 0);
    }).then(function (r) {
      if (r.status === 200) {
        addBotMessages(r.data.messages || []);
      } else if (r.status === 401) {
        state.session = null;
        showError(r.data.error);
      } else {
        showError(r.data && r.data.error ? r.data.error : unreachable());
      }
    }).catch(function () {
      showError(unreachable());
    }).then(function () {
      busy = false;
      el.send.disabled = false;
      el.typing.hidden = true;
    });
  }

  // --- building the widget ----------------------------------------------------------------
  function build() {
    var root = make("div", { "class": "bcw-root", id: "bcw-root" });
    el.launcher = make("button", { type: "button", "class": "bcw-launcher", "aria-expanded": "false",
      "aria-controls": "bcw-panel" }, config.launcher_text);
    el.panel = make("section", { "class": "bcw-panel", id: "bcw-panel", "aria-label": config.clinic_name + " chat",
      hidden: "" });
    if (/^#[0-9a-fA-F]{6}$/.test(config.color || "")) { root.style.setProperty("--bcw-primary", config.color); }
    var header = make("div", { "class": "bcw-header" });
    if (config.logo_url) {
      header.appendChild(make("img", { "class": "bcw-logo", src: config.logo_url, alt: "" }));
    }
    header.appendChild(make("h2", { "class": "bcw-title" }, config.clinic_name));
    header.appendChild(make("p", { "class": "bcw-emergency" }, "In an emergency, call 911"));
    el.close = make("button", { type: "button", "class": "bcw-close", "aria-label": "Close the chat" }, "\u00d7");
    header.appendChild(el.close);
    el.panel.appendChild(header);

    var tools = make("div", { "class": "bcw-tools" });
    el.nurse = make("button", { type: "button", "class": "bcw-nurse" }, "Talk to a nurse");
    el.restart = make("button", { type: "button", "class": "bcw-restart" }, "New conversation");
    el.privacy = make("a", { href: BASE + "/widget/privacy.html", target: "_blank", rel: "noopener noreferrer",
      "class": "bcw-privacy" }, "Privacy note");
    tools.appendChild(el.nurse);
    tools.appendChild(el.restart);
    tools.appendChild(el.privacy);
    el.panel.appendChild(tools);

    el.log = make("div", { "class": "bcw-log", role: "log", "aria-live": "polite", "aria-label": "Conversation",
      tabindex: "0" });
    el.panel.appendChild(el.log);
    el.typing = make("p", { "class": "bcw-typing", "aria-hidden": "true", hidden: "" }, "The assistant is typing\u2026");
    el.panel.appendChild(el.typing);
    el.status = make("p", { "class": "bcw-sr", role: "status" });
    el.panel.appendChild(el.status);
    el.quick = make("div", { "class": "bcw-quick-replies", role: "group", "aria-label": "Suggested topics" });
    el.panel.appendChild(el.quick);

    var form = make("form", { "class": "bcw-form" });
    var label = make("label", { "for": "bcw-input", "class": "bcw-label" }, "Your question");
    el.input = make("textarea", { id: "bcw-input", rows: "2", maxlength: String(state.maxChars),
      "aria-describedby": "bcw-count" });
    el.count = make("p", { id: "bcw-count", "class": "bcw-count" },
      "Up to " + state.maxChars + " characters. Please do not include your name or date of birth.");
    el.send = make("button", { type: "submit", "class": "bcw-send" }, "Send");
    form.appendChild(label);
    form.appendChild(el.input);
    form.appendChild(el.count);
    form.appendChild(el.send);
    el.panel.appendChild(form);

    root.appendChild(el.panel);
    root.appendChild(el.launcher);
    document.body.appendChild(root);

    el.launcher.addEventListener("click", function () { toggle(el.panel.hidden); });
    el.close.addEventListener("click", function () { toggle(false); });
    el.nurse.addEventListener("click", function () { send("/request_nurse", "Talk to a nurse"); });
    el.restart.addEventListener("click", function () {
      state = { session: null, log: [], notice: "", maxChars: state.maxChars };
      save();
      startSession().catch(function () { showError(unreachable()); });
      el.input.focus();
    });
    form.addEventListener("submit", function (event) {
      event.preventDefault();
      var text = el.input.value;
      if (text.trim()) { el.input.value = ""; send(text); }
    });
    el.input.addEventListener("keydown", function (event) {
      if (event.key === "Enter" && !event.shiftKey) { event.preventDefault(); form.requestSubmit(); }
    });
    el.panel.addEventListener("keydown", function (event) {
      if (event.key === "Escape") { toggle(false); }
    });
  }

  function toggle(open) {
    el.panel.hidden = !open;
    el.launcher.setAttribute("aria-expanded", open ? "true" : "false");
    if (open) {
      if (!state.session) { startSession().catch(function () { showError(unreachable()); }); }
      el.input.focus();
    } else {
      el.launcher.focus();
    }
  }

  function start() {
    load();
    fetch(BASE + "/widget/config.json", { credentials: "omit" })
      .then(function (r) { return r.json(); })
      .catch(function () { return { clinic_name: "Breast imaging questions", nurse_line: "your clinic",
        launcher_text: "Questions? Chat with us" }; })
      .then(function (c) {
        config = c;
        var link = make("link", { rel: "stylesheet", href: BASE + "/widget/chat.css" });
        document.head.appendChild(link);
        build();
        redraw();
      });
  }

  if (document.readyState === "loading") { document.addEventListener("DOMContentLoaded", start); } else { start(); }
}());
