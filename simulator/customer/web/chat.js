// WhatsApp-like web chat over the simulator's customer API. Polls the transcript for
// new messages and delivery ticks; every text is set with textContent (never as HTML).
"use strict";

const $ = (id) => document.getElementById(id);
const chat = { waId: null, name: "", signature: "" };
const MEDIA_ICONS = { image: "📷 Photo", video: "🎥 Video", audio: "🎵 Audio", voice: "🎤 Voice note",
                      document: "📄 Document", sticker: "🏷️ Sticker" };

function el(tag, className, text) {
  const node = document.createElement(tag);
  if (className) node.className = className;
  if (text !== undefined && text !== null) node.textContent = text;
  return node;
}

async function api(path, options) {
  const response = await fetch(path, options);
  const body = await response.json();
  if (!response.ok) throw new Error(body.error || response.statusText);
  return body;
}

async function send(spec) {
  if (!chat.waId) return;
  await api(`/sim/customers/${chat.waId}/send`, {
    method: "POST", headers: { "Content-Type": "application/json" },
    body: JSON.stringify({ ...spec, name: chat.name || undefined, wait: 0 }),
  });
  await poll();
}

function clock(at) {
  return new Date(at * 1000).toLocaleTimeString([], { hour: "2-digit", minute: "2-digit" });
}

function ticks(record) {
  const marks = { accepted: "🕓", sent: "✓", delivered: "✓✓", read: "✓✓", failed: "!" };
  const span = el("span", `ticks ${record.status}`, marks[record.status] || "");
  span.dataset.status = record.status;
  span.title = record.status;
  return span;
}

function inboundText(record) {
  const m = record.message;
  switch (record.type) {
    case "text": return m.body;
    case "interactive": return (m.button_reply || m.list_reply || {}).title || "(tap)";
    case "button": return m.text || m.payload;
    case "location": return `📍 ${m.name || "Location"}${m.address ? "\n" + m.address : ""}\n${m.latitude}, ${m.longitude}`;
    default: {
      const kind = record.type === "audio" && m.voice ? "voice" : record.type;
      return `${MEDIA_ICONS[kind] || record.type}${m.caption ? "\n" + m.caption : ""}`;
    }
  }
}

function actionButton(title, spec) {
  const button = el("button", "", title);
  button.type = "button";
  button.addEventListener("click", () => send(spec));
  return button;
}

function outboundParts(record) {
  // -> [text, list of action buttons, extra nodes]
  const m = record.message;
  if (record.type === "text") return [m.body, []];
  if (record.type === "template") {
    const rendered = record.rendered || { text: m.name, buttons: [] };
    const buttons = rendered.buttons.map((b) => actionButton(b.title, { template_button: { payload: b.payload, text: b.title } }));
    return [rendered.text, buttons, [el("span", "template-name", `template ${m.name} · ${(m.language || {}).code || ""}`)]];
  }
  if (record.type === "interactive") {
    const body = (m.body || {}).text || "";
    const action = m.action || {};
    if (m.type === "button") {
      return [body, (action.buttons || []).map((b) => actionButton(b.reply.title, { button: { id: b.reply.id, title: b.reply.title } }))];
    }
    if (m.type === "list") {
      const open = el("button", "list-open", `☰ ${action.button || "Options"}`);
      open.type = "button";
      open.addEventListener("click", () => openList(action));
      return [body, [open]];
    }
    return [body, []];
  }
  return [`${MEDIA_ICONS[record.type] || record.type}${m.caption ? "\n" + m.caption : ""}\n${m.link || m.id || ""}`, []];
}

function openList(action) {
  $("sheet-title").textContent = action.button || "Options";
  const rows = $("sheet-rows");
  rows.replaceChildren();
  for (const section of action.sections || []) {
    if (section.title) rows.append(el("li", "muted", section.title));
    for (const row of section.rows || []) {
      const item = el("li", "sheet-row");
      item.append(el("div", "", row.title));
      if (row.description) item.append(el("div", "desc", row.description));
      item.addEventListener("click", () => {
        $("sheet").hidden = true;
        send({ list: { id: row.id, title: row.title, description: row.description } });
      });
      rows.append(item);
    }
  }
  $("sheet").hidden = false;
}

function renderRecord(record) {
  const row = el("div", `row ${record.direction}`);
  row.dataset.wamid = record.wamid;
  const wrap = el("div", "stack");
  const bubble = el("div", "bubble");
  let buttons = [];
  let extra = [];
  if (record.direction === "in") {
    bubble.append(el("span", "", inboundText(record)));
  } else {
    let text;
    [text, buttons, extra = []] = outboundParts(record);
    bubble.append(el("span", "", text));
    bubble.append(...extra);
    for (const error of record.errors || []) {
      bubble.append(el("span", "error", `⚠ not delivered: ${error.code} ${error.title || ""}`));
    }
  }
  const meta = el("span", "meta", clock(record.at));
  meta.append(ticks(record));
  bubble.append(meta);
  wrap.append(bubble);
  if (buttons.length) {
    const actions = el("div", "actions");
    actions.append(...buttons);
    wrap.append(actions);
  }
  row.append(wrap);
  return row;
}

async function poll() {
  if (!chat.waId) return;
  const transcript = await api(`/sim/customers/${chat.waId}/transcript`);
  const signature = JSON.stringify(transcript.messages.map((m) => [m.wamid, m.status]));
  if (signature === chat.signature) return;
  chat.signature = signature;
  const box = $("messages");
  const grew = transcript.messages.length !== box.children.length;
  const atBottom = box.scrollHeight - box.scrollTop - box.clientHeight < 40;
  box.replaceChildren(...transcript.messages.map(renderRecord));
  if (grew || atBottom) box.scrollTop = box.scrollHeight;  // a status change keeps the reader's place
}

async function loadCustomers() {
  const { customers } = await api("/sim/customers");
  const list = $("customers");
  list.replaceChildren(...customers.map((c) => {
    const item = el("li", c.wa_id === chat.waId ? "active" : "");
    item.dataset.waId = c.wa_id;
    item.append(el("div", "who", c.name ? `${c.name} · +${c.wa_id}` : `+${c.wa_id}`));
    item.append(el("div", "muted", c.last));
    item.addEventListener("click", () => openChat(c.wa_id, c.name));
    return item;
  }));
}

async function openChat(phone, name) {
  const digits = String(phone).replace(/[^\d+]/g, "");  // "0300-123 4567" -> "03001234567"
  const transcript = await api(`/sim/customers/${digits}/transcript`);
  chat.waId = transcript.wa_id;
  chat.name = name || transcript.name || "";
  chat.signature = "";
  location.hash = `+${chat.waId}`;
  $("chat-name").textContent = chat.name || `+${chat.waId}`;
  $("chat-phone").textContent = `+${chat.waId}`;
  $("avatar").textContent = (chat.name || "#").slice(0, 1).toUpperCase();
  $("chat").hidden = false;
  $("empty").hidden = true;
  await poll();
  await loadCustomers();
  $("text").focus();
}

const ATTACHMENTS = {
  location: { location: { latitude: 31.5204, longitude: 74.3587, name: "Liberty Market", address: "Gulberg III, Lahore" } },
  image: { media: { kind: "image", mime_type: "image/jpeg", caption: "" } },
  voice: { media: { kind: "voice", mime_type: "audio/ogg; codecs=opus" } },
  document: { media: { kind: "document", mime_type: "application/pdf", caption: "" } },
};

$("composer").addEventListener("submit", async (event) => {
  event.preventDefault();
  const text = $("text").value.trim();
  if (!text) return;
  $("text").value = "";
  await send({ text });
});
$("new-chat").addEventListener("submit", async (event) => {
  event.preventDefault();
  try {
    await openChat($("new-phone").value.trim(), $("new-name").value.trim());
    $("new-phone").value = "";
  } catch (error) {
    $("new-phone").setCustomValidity(error.message);
    $("new-phone").reportValidity();
    $("new-phone").setCustomValidity("");
  }
});
$("attach").addEventListener("click", () => { $("attach-menu").hidden = !$("attach-menu").hidden; });
for (const button of document.querySelectorAll("[data-send]")) {
  button.addEventListener("click", () => { $("attach-menu").hidden = true; send(ATTACHMENTS[button.dataset.send]); });
}
$("sheet-close").addEventListener("click", () => { $("sheet").hidden = true; });

setInterval(() => poll().catch(() => {}), 700);
setInterval(() => loadCustomers().catch(() => {}), 2500);
loadCustomers();
if (location.hash.length > 1) openChat(decodeURIComponent(location.hash.slice(1)));
