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

  var TIMEOUT_MS = 15000;  // then the one retry, then the nurse line: never an endless spinner

  function post(path, body) {
    var controller = window.AbortController ? new AbortController() : null;
    var timer = controller ? setTimeout(function () { controller.abort(); }, TIMEOUT_MS) : null;
    return fetch(BASE + path, {
      method: "POST", headers: { "Content-Type": "application/json" },
      body: JSON.stringify(body || {}), credentials: "omit", cache: "no-store",
      signal: controller ? controller.signal : undefined
    }).then(function (response) {
      return response.json().then(function (data) { return { status: response.status, data: data }; });
    }).then(function (result) { clearTimeout(timer); return result; },
      function (error) { clearTimeout(timer); throw error; });
  }

  function text(key, fallback) {
    return (config && config.texts && config.texts[key]) || fallback;
  }

  function unreachable() {
    return text("unreachable", "I can't reach the assistant right now. In an emergency, call 911.");
  }

  // --- rendering --------------------------------------------------------------------------
  function renderMessage(entry) {
    var item = make("div", { "class": "bcw-msg bcw-" + entry.from });
    if (entry.from === "bot" && entry.urgency) { item.className += " bcw-urgent"; }
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
      button.addEventListener("click", function () { el.input.focus(); send(b.payload, b.title); });
      el.quick.appendChild(button);
    });
  }

  // The whole log is drawn only when the panel is built or restarted; new messages are appended,
  // so a screen reader hears each message once.
  var drawn = 0;

  function redraw() {
    el.log.textContent = "";
    drawn = 0;
    if (state.notice) { el.log.appendChild(make("div", { "class": "bcw-msg bcw-notice" }, state.notice)); }
    appendNew();
  }

  function appendNew() {
    for (; drawn < state.log.length; drawn += 1) { el.log.appendChild(renderMessage(state.log[drawn])); }
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
    appendNew();
    var urgent = messages.filter(function (m) { return m.custom && m.custom.urgency; })[0];
    // An urgent reply is announced at once, and only once, through the alert region.
    el.alert.textContent = urgent ? urgent.text.split("\nSource: ")[0] : "";
    el.status.textContent = "";
  }

  function showError(message) {
    state.log.push({ from: "bot", text: message, buttons: [], sources: [], urgency: null });
    save();
    appendNew();
    el.status.textContent = "";
  }

  // --- talking to the server --------------------------------------------------------------
  var starting = null;

  function startSession() {
    if (starting) { return starting; }  // opening the panel and sending at once share one session
    starting = post("/widget/session").then(function (r) {
      if (r.status !== 200) { throw new Error("session"); }
      state.session = r.data.session;
      state.notice = r.data.notice || "";
      state.maxChars = r.data.max_chars || 1000;
      save();
      redraw();
    }).then(function () { starting = null; }, function (error) { starting = null; throw error; });
    return starting;
  }

  function deliver(payload, attempt) {
    return post("/widget/message", payload).catch(function (error) {
      if (attempt === 0) { return deliver(payload, 1); }  // one retry; the server drops a repeated id
      throw error;
    });
  }

  function send(message, shown) {
    if (!message || !message.trim()) { return false; }
    if (busy) {  // the box keeps her words; nothing is dropped while a reply is on its way
      el.status.textContent = text("wait", "Please wait for the answer, then send again.");
      return false;
    }
    if (message.length > state.maxChars) {
      el.count.textContent = "Please keep your message under " + state.maxChars + " characters.";
      return false;
    }
    busy = true;
    el.send.disabled = true;
    el.typing.hidden = false;
    el.status.textContent = text("typing", "The assistant is typing.");
    var ready = state.session ? Promise.resolve() : startSession();
    ready = ready.then(function () {
      state.log.push({ from: "user", text: shown || message });
      save();
      appendNew();
    });
    var id = (window.crypto && crypto.randomUUID) ? crypto.randomUUID() : String(Date.now()) + Math.random();
    ready.then(function () {
      return deliver({ session: state.session, message: message, id: id }, 0);
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
    return true;
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
      header.appendChild(make("img", { "class": "bcw-logo", src: new URL(config.logo_url, BASE).href, alt: "" }));
    }
    header.appendChild(make("h2", { "class": "bcw-title" }, config.clinic_name));
    header.appendChild(make("p", { "class": "bcw-emergency" }, text("emergency_line", "In an emergency, call 911")));
    el.close = make("button", { type: "button", "class": "bcw-close", "aria-label": "Close the chat" }, "\u00d7");
    header.appendChild(el.close);
    el.panel.appendChild(header);

    var tools = make("div", { "class": "bcw-tools" });
    el.nurse = make("button", { type: "button", "class": "bcw-nurse" }, text("nurse_button", "Talk to a nurse"));
    el.restart = make("button", { type: "button", "class": "bcw-restart" },
      text("restart_button", "New conversation"));
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
    el.alert = make("p", { "class": "bcw-sr", role: "alert" });
    el.panel.appendChild(el.alert);
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
      if (busy) { return; }
      state = { session: null, log: [], notice: "", maxChars: state.maxChars };
      save();
      startSession().catch(function () { showError(unreachable()); });
      el.input.focus();
    });
    form.addEventListener("submit", function (event) {
      event.preventDefault();
      if (send(el.input.value)) { el.input.value = ""; }
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
