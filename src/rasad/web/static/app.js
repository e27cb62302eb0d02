/* rasad serve: the page. Plain JavaScript over the JSON API; Leaflet with an offline basemap
   (world-atlas country outlines, no tiles); every text from the database is set with textContent. */
"use strict";

const TYPES = ["Battles", "Explosions/Remote violence", "Violence against civilians", "Protests",
  "Riots", "Strategic developments"];
const COLOURS = {"Battles": "#d62728", "Explosions/Remote violence": "#ff7f0e",
  "Violence against civilians": "#9467bd", "Protests": "#2ca02c", "Riots": "#8c564b",
  "Strategic developments": "#1f77b4"};
const I18N = {
  ar: {title: "رصد", subtitle: "أحداث النزاع من الأخبار العربية", type: "النوع", country: "البلد",
    from: "من", to: "إلى", search: "بحث", background: "أحداث خلفية", apply: "تطبيق",
    reset: "إعادة ضبط", export_csv: "تصدير CSV", export_geojson: "تصدير GeoJSON", api: "واجهة API",
    timeline: "الحوادث يومياً", clear: "مسح التحديد", incidents: "حادثة", all: "الكل",
    undated: "بلا تاريخ", reports: "تقارير", report: "تقرير", outlets: "مصادر", date: "التاريخ", place: "المكان",
    actors: "الفاعلون", fatalities: "القتلى", modality: "الصيغة", source: "المصدر",
    article: "المقال", document_view: "عرض النص", more: "المزيد في التصدير", none: "—",
    verified: "موثّقة", genre: "النوع الصحفي", precision: "دقة الموقع", legend: "نوع الحدث",
    elsewhere: "في موضع آخر من المقال", earlier: "قبل ذلك", loading: "جارٍ التحميل…", error: "خطأ",
    f_actor1: "الفاعل الأول", f_actor2: "الفاعل الثاني", f_assoc_actor_1: "فاعل مشارك",
    f_assoc_actor_2: "فاعل مشارك", f_location: "المكان", f_fatalities_text: "القتلى",
    f_attribution: "المصدر", f_evidence: "الجملة",
    "Battles": "معارك", "Explosions/Remote violence": "انفجارات/عنف عن بُعد",
    "Violence against civilians": "عنف ضد المدنيين", "Protests": "احتجاجات", "Riots": "أعمال شغب",
    "Strategic developments": "تطورات استراتيجية"},
  en: {title: "rasad", subtitle: "conflict events from Arabic news", type: "Type", country: "Country",
    from: "From", to: "To", search: "Search", background: "background events", apply: "Apply",
    reset: "Reset", export_csv: "Export CSV", export_geojson: "Export GeoJSON", api: "API",
    timeline: "Incidents per day", clear: "Clear selection", incidents: "incidents", all: "All",
    undated: "undated", reports: "reports", report: "report", outlets: "outlets", date: "Date", place: "Place",
    actors: "Actors", fatalities: "Fatalities", modality: "Modality", source: "Source",
    article: "Article", document_view: "Document view", more: "more in the export", none: "—",
    verified: "verified", genre: "Genre", precision: "geo precision", legend: "Event type",
    elsewhere: "elsewhere in the article", earlier: "earlier", loading: "Loading…", error: "Error",
    f_actor1: "actor 1", f_actor2: "actor 2", f_assoc_actor_1: "associated actor",
    f_assoc_actor_2: "associated actor", f_location: "place", f_fatalities_text: "fatalities",
    f_attribution: "source", f_evidence: "sentence"},
};
const LIST_MAX = 300;
const TIMELINE_DAYS = 366;  // the timeline shows the last year of the data; earlier days are counted

const state = {lang: "ar", filters: {}, brush: null, incidents: [], stats: null, selected: null};
let map, cluster, legend, outlines;

function t(key) { return (I18N[state.lang] || {})[key] || I18N.en[key] || key; }

function el(tag, attrs, ...children) {
  const node = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs || {})) {
    if (v === null || v === undefined || v === false) continue;
    if (k === "class") node.className = v;
    else if (k.startsWith("on")) node.addEventListener(k.slice(2), v);
    else node.setAttribute(k, v === true ? "" : v);
  }
  for (const child of children.flat()) {
    if (child === null || child === undefined || child === false) continue;
    node.append(child instanceof Node ? child : document.createTextNode(String(child)));
  }
  return node;
}

function svg(tag, attrs) {
  const node = document.createElementNS("http://www.w3.org/2000/svg", tag);
  for (const [k, v] of Object.entries(attrs || {})) node.setAttribute(k, v);
  return node;
}

function params(withDates) {
  const p = new URLSearchParams();
  const f = state.filters;
  if (f.type) p.append("type", f.type);
  if (f.country) p.append("country", f.country);
  if (f.q) p.append("q", f.q);
  if (f.no_background) p.append("no_background", "true");
  if (withDates) {
    const from = state.brush ? state.brush[0] : f.date_from;
    const to = state.brush ? state.brush[1] : f.date_to;
    if (from) p.append("date_from", from);
    if (to) p.append("date_to", to);
  }
  return p;
}

async function getJSON(url) {
  const response = await fetch(url, {headers: {Accept: "application/json"}});
  const body = await response.json();
  if (!response.ok) {
    const detail = Array.isArray(body.detail) ? body.detail.map((d) => d.msg).join("; ") : body.detail;
    throw new Error(detail || response.statusText);
  }
  return body;
}

function applyLanguage() {
  const html = document.documentElement;
  html.lang = state.lang;
  html.dir = state.lang === "ar" ? "rtl" : "ltr";
  document.title = t("title");
  for (const node of document.querySelectorAll("[data-i18n]")) node.textContent = t(node.dataset.i18n);
  const lang = document.getElementById("lang");
  lang.textContent = state.lang === "ar" ? "English" : "العربية";
  lang.lang = state.lang === "ar" ? "en" : "ar";
  for (const option of document.querySelectorAll("#f-type option[value]")) {
    if (option.value) option.textContent = t(option.value);
  }
  if (legend) { legend.remove(); legend.addTo(map); }
  document.dispatchEvent(new Event("rasad:language"));  // monitor.js redraws its panels
}

function typeName(type) { return t(type); }

function formatPlace(item) {
  return [item.location, item.admin1, item.country].filter(Boolean).join("، ");
}

/* The map: country outlines from the packaged world-atlas file, incidents as clustered markers.
   The outlines load beside the data, drawn on a canvas in a pane under the markers. */
function setupMap() {
  map = L.map("map", {worldCopyJump: true, zoomSnap: 0.5, minZoom: 2, maxZoom: 12})
    .setView([32, 40], 4);
  map.attributionControl.setPrefix(false);
  map.attributionControl.addAttribution("Natural Earth · world-atlas · Leaflet");
  cluster = L.markerClusterGroup({maxClusterRadius: 40, showCoverageOnHover: false,
    chunkedLoading: true, chunkDelay: 1, chunkInterval: 500, iconCreateFunction: clusterIcon,
    chunkProgress: (done, total) => { if (done === total && drawn) { drawn(); drawn = null; } }});
  // One handler for all markers (thousands of them): tooltips are made on first hover.
  cluster.on("click", (event) => openIncident(event.layer.options.incident.incident_id));
  cluster.on("mouseover", (event) => {
    const marker = event.layer, item = marker.options.incident;
    if (!marker.getTooltip()) {
      marker.bindTooltip(`${typeName(item.event_type)} · ${item.event_date || t("undated")} · ${formatPlace(item)}`);
      marker.openTooltip();
    }
  });
  map.addLayer(cluster);
  legend = L.control({position: "bottomleft"});
  legend.onAdd = () => el("div", {class: "legend", id: "legend"},
    el("strong", {}, t("legend")),
    ...TYPES.map((type) => el("div", {"data-type": type},
      el("span", {class: "dot", style: `background:${COLOURS[type]}`}), typeName(type))));
  legend.addTo(map);
  map.createPane("basemap").style.zIndex = 250;
  return getJSON("/static/vendor/world-atlas/countries-50m.json").then((world) => {
    const countries = topojson.feature(world, world.objects.countries);
    outlines = L.geoJSON(countries, {interactive: false, pane: "basemap",
      renderer: L.canvas({pane: "basemap"}),
      style: {color: "#7a8a99", weight: 0.7, fillColor: "#f7f4ec", fillOpacity: 1}}).addTo(map);
  }).catch((error) => console.error("basemap", error));
}

/* A cluster is a ring of its incidents' type colours (shares of a conic gradient). */
function clusterIcon(group) {
  const counts = new Map();
  const children = group.getAllChildMarkers();
  for (const marker of children) counts.set(marker.options.eventType, (counts.get(marker.options.eventType) || 0) + 1);
  let at = 0;
  const stops = [];
  for (const type of [...TYPES, undefined]) {
    const n = counts.get(type);
    if (!n) continue;
    const colour = COLOURS[type] || "#555";
    const next = at + (n / children.length) * 100;
    stops.push(`${colour} ${at.toFixed(1)}% ${next.toFixed(1)}%`);
    at = next;
  }
  const size = children.length < 10 ? 30 : children.length < 100 ? 36 : 44;
  return L.divIcon({className: "marker-cluster type-cluster", iconSize: L.point(size, size),
    html: `<div style="background: conic-gradient(${stops.join(", ")})"><span>${children.length}</span></div>`});
}

/* Resolves when the markers are on the map (they are added in chunks, between frames). */
let drawn = null;
let loads = 0;

function renderMap() {
  cluster.clearLayers();
  const markers = [];
  for (const item of state.incidents) {
    if (item.latitude === null || item.longitude === null) continue;
    const colour = COLOURS[item.event_type] || "#555";
    markers.push(L.circleMarker([item.latitude, item.longitude], {radius: 7, color: "#222",
      weight: 1, fillColor: colour, fillOpacity: 0.9, className: "incident-marker",
      eventType: item.event_type, incident: item}));
  }
  if (markers.length && !state.brush) {
    const bounds = L.latLngBounds(markers.map((m) => m.getLatLng()));
    // No animation: a page in a background tab (no animation frames) would never end it.
    map.fitBounds(bounds.pad(0.3), {maxZoom: 8, animate: false});
  }
  if (drawn) { drawn(); drawn = null; }  // an earlier drawing, cleared above
  const done = markers.length ? new Promise((resolve) => { drawn = resolve; }) : Promise.resolve();
  if (markers.length) cluster.addLayers(markers);
  return done.then(() => { document.getElementById("map").dataset.markers = String(markers.length); });
}

function renderList(total) {
  const list = document.getElementById("incident-list");
  list.replaceChildren();
  document.getElementById("count").textContent = String(total);
  for (const item of state.incidents.slice(0, LIST_MAX)) {
    const actors = (item.actors || []).join(" / ");
    list.append(el("li", {"data-id": item.incident_id, class: item.incident_id === state.selected ? "active" : null,
      onclick: () => openIncident(item.incident_id)},
      el("div", {}, el("span", {class: "dot", style: `background:${COLOURS[item.event_type] || "#555"}`}),
        el("strong", {}, typeName(item.event_type)), " · ", item.sub_event_type || ""),
      el("div", {class: "meta"}, item.event_date || t("undated"), " · ", formatPlace(item) || t("none")),
      actors ? el("div", {class: "meta", dir: "auto"}, actors) : null,
      el("div", {class: "meta"}, `${item.reports} ${t(item.reports === 1 ? "report" : "reports")}`,
        item.fatalities !== null ? ` · ${t("fatalities")}: ${item.fatalities}` : "",
        item.verified ? ` · ✔ ${t("verified")}` : "")));
  }
  if (state.incidents.length > LIST_MAX) {
    list.append(el("li", {class: "more"}, `+${state.incidents.length - LIST_MAX} ${t("more")}`));
  }
}

/* The timeline: incidents per day, stacked by type; drag to brush a date range. */
function renderTimeline() {
  const box = document.getElementById("timeline");
  box.replaceChildren();
  const stats = state.stats;
  document.getElementById("undated").textContent = stats && stats.undated ? `(${t("undated")}: ${stats.undated})` : "";
  if (!stats || !stats.days.length) return;
  const width = box.clientWidth || 800, height = 95, top = 4, bottom = 14;
  const day = (s) => Date.UTC(+s.slice(0, 4), +s.slice(5, 7) - 1, +s.slice(8, 10)) / 864e5;
  const last = day(stats.days[stats.days.length - 1].date);
  const first = Math.max(day(stats.days[0].date), last - TIMELINE_DAYS + 1);
  const earlier = stats.days.filter((r) => day(r.date) < first).reduce((s, r) => s + r.count, 0);
  if (earlier) document.getElementById("undated").textContent += ` (${t("earlier")}: ${earlier})`;
  const span = Math.max(1, last - first + 1);
  const perDay = new Map();
  for (const row of stats.days) {
    const key = row.date;
    if (!perDay.has(key)) perDay.set(key, []);
    perDay.get(key).push(row);
  }
  const max = Math.max(...[...perDay].filter(([date]) => day(date) >= first)
    .map(([, rows]) => rows.reduce((s, r) => s + r.count, 0)));
  const x = (d) => ((d - first) / span) * width;
  const barWidth = Math.max(1, width / span - 0.5);
  const scale = (height - top - bottom) / max;
  for (const [date, rows] of perDay) {
    if (day(date) < first) continue;
    let y = height - bottom;
    for (const type of TYPES) {
      const row = rows.find((r) => r.event_type === type);
      if (!row) continue;
      const h = row.count * scale;
      y -= h;
      box.append(svg("rect", {x: x(day(date)), y, width: barWidth, height: h,
        fill: COLOURS[type], "data-date": date, "data-type": type}));
    }
  }
  const label = (d) => new Date(d * 864e5).toISOString().slice(0, 10);
  for (const [pos, anchor] of [[0, "start"], [width, "end"]]) {
    const text = svg("text", {x: pos, y: height - 2, "text-anchor": anchor});
    text.textContent = label(pos === 0 ? first : last);
    box.append(text);
  }
  const rect = svg("rect", {class: "brush", y: 0, height: height - bottom, x: 0, width: 0});
  box.append(rect);
  if (state.brush) {
    const a = x(day(state.brush[0])), b = x(day(state.brush[1]) + 1);
    rect.setAttribute("x", Math.min(a, b)); rect.setAttribute("width", Math.abs(b - a));
  }
  const toDay = (px) => label(first + Math.floor((Math.min(Math.max(px, 0), width - 1) / width) * span));
  let start = null;
  const offset = (event) => event.clientX - box.getBoundingClientRect().left;
  box.onmousedown = (event) => { start = offset(event); rect.setAttribute("x", start); rect.setAttribute("width", 0); };
  box.onmousemove = (event) => {
    if (start === null) return;
    const now = offset(event);
    rect.setAttribute("x", Math.min(start, now)); rect.setAttribute("width", Math.abs(now - start));
  };
  box.onmouseup = (event) => {
    if (start === null) return;
    const end = offset(event);
    const range = [toDay(Math.min(start, end)), toDay(Math.max(start, end))];
    start = null;
    setBrush(range);
  };
}

function setBrush(range, reload = true) {
  state.brush = range;
  document.getElementById("brush-label").textContent = range ? `${range[0]} → ${range[1]}` : "";
  document.getElementById("brush-clear").hidden = !range;
  if (reload) loadIncidents();
}

function exportLinks() {
  const query = params(true).toString();
  document.getElementById("export-csv").href = "/api/events.csv" + (query ? "?" + query : "");
  document.getElementById("export-geojson").href = "/api/events.geojson" + (query ? "?" + query : "");
}

async function loadIncidents() {
  const query = params(true);
  query.set("limit", "20000");
  query.set("format", "table");
  exportLinks();
  document.dispatchEvent(new Event("rasad:load"));  // monitor.js drops an alert's selection
  document.getElementById("status").dataset.loading = "1";
  const ticket = ++loads;
  try {
    const page = await getJSON("/api/incidents?" + query.toString());
    if (ticket !== loads) return;  // a newer filter was asked for meanwhile
    state.incidents = page.rows.map((row) => Object.fromEntries(page.columns.map((c, i) => [c, row[i]])));
    renderList(page.total);
    await renderMap();
  } catch (error) {
    state.incidents = [];
    await renderMap();
    renderList(0);
    document.getElementById("incident-list").append(el("li", {class: "more"}, `${t("error")}: ${error.message}`));
  }
  delete document.getElementById("status").dataset.loading;
}

async function loadAll() {
  const stats = getJSON("/api/stats?" + params(false).toString())
    .catch(() => null)
    .then((value) => { state.stats = value; renderTimeline(); });
  await Promise.all([stats, loadIncidents()]);
}

/* The incident panel: every report, its sentence with the fields' spans marked. */
function marked(text, marks, lo = 0, hi = text.length) {
  // Marks sorted by start (longest first); a mark inside another is nested in it, one that
  // crosses its end is cut there.
  const out = [];
  let pos = lo;
  let i = 0;
  while (i < marks.length) {
    const mark = marks[i];
    const start = Math.max(mark.start, pos), end = Math.min(mark.end, hi);
    let j = i + 1;
    while (j < marks.length && marks[j].start < mark.end) j++;
    if (start < end) {
      out.push(text.slice(pos, start));
      out.push(el("mark", {class: `f-${mark.field}`, title: t(`f_${mark.field}`), "data-field": mark.field},
        ...marked(text, marks.slice(i + 1, j), start, end)));
      pos = end;
    }
    i = j;
  }
  out.push(text.slice(pos, hi));
  return out;
}

function fieldList(pairs) {
  return el("dl", {class: "fields"}, ...pairs.filter(([, v]) => v !== null && v !== undefined && v !== "")
    .map(([k, v]) => [el("dt", {}, t(k)), el("dd", {dir: "auto"}, v)]));
}

function keys() {
  return el("div", {class: "keys"}, ...["actor1", "actor2", "location", "fatalities_text", "attribution"]
    .map((f) => el("mark", {class: `f-${f}`}, t(`f_${f}`))));
}

async function openIncident(id) {
  state.selected = id;
  for (const li of document.querySelectorAll("#incident-list li")) li.classList.toggle("active", li.dataset.id === id);
  const panel = document.getElementById("panel");
  const body = document.getElementById("panel-body");
  panel.hidden = false;
  body.replaceChildren(el("p", {}, t("loading")));
  let incident;
  try {
    incident = await getJSON("/api/incidents/" + encodeURIComponent(id));
  } catch (error) {
    body.replaceChildren(el("p", {}, `${t("error")}: ${error.message}`));
    return;
  }
  history.replaceState(null, "", "#incident=" + encodeURIComponent(id));
  const reports = incident.reports_list.map((report) => {
    const event = report.event;
    const view = report.view;
    const link = report.url
      ? el("a", {href: report.url, rel: "noreferrer noopener", target: "_blank"}, t("article"))
      : el("a", {href: "#document=" + encodeURIComponent(report.doc_id),
        onclick: (e) => { e.preventDefault(); openDocument(report.doc_id); }}, t("document_view"));
    return el("article", {class: "report", "data-doc": report.doc_id},
      el("h3", {dir: "auto"}, report.title || report.doc_id),
      el("div", {class: "meta"}, [report.source, report.published, report.genre].filter(Boolean).join(" · "), " · ", link),
      el("blockquote", {class: "evidence", dir: "rtl", lang: "ar"}, ...marked(view.evidence.text, view.evidence.marks)),
      ...view.context.map((c) => el("p", {class: "context", dir: "rtl", lang: "ar"},
        el("span", {class: "meta"}, `${t(`f_${c.field}`)} (${t("elsewhere")}): `),
        c.truncated_start ? "…" : "", ...marked(c.text, c.marks), c.truncated_end ? "…" : "")),
      fieldList([["modality", event.modality], ["fatalities", event.fatalities],
        ["date", event.event_date]]));
  });
  body.replaceChildren(
    el("h2", {}, el("span", {class: "dot", style: `background:${COLOURS[incident.event_type] || "#555"}`}),
      typeName(incident.event_type), " — ", incident.sub_event_type || ""),
    fieldList([["date", incident.event_date || t("undated")], ["place", formatPlace(incident)],
      ["actors", (incident.actors || []).join(" / ")], ["fatalities", incident.fatalities],
      ["reports", `${incident.reports} (${incident.outlets} ${t("outlets")})`],
      ["verified", incident.verified === null ? null : (incident.verified ? "✔" : "✘")]]),
    keys(), ...reports);
}

async function openDocument(docId) {
  const pane = document.getElementById("document");
  const body = document.getElementById("document-body");
  pane.hidden = false;
  body.replaceChildren(el("p", {}, t("loading")));
  const doc = await getJSON("/api/documents/" + encodeURIComponent(docId).replace(/%2F/g, "/"));
  const spans = doc.events.flatMap((e) => e.spans.filter((s) => s.field !== "evidence"))
    .sort((a, b) => a.start - b.start || b.end - a.end);
  body.replaceChildren(el("h2", {dir: "auto"}, doc.title || doc.doc_id),
    el("div", {class: "meta"}, [doc.source, doc.published, doc.genre].filter(Boolean).join(" · ")),
    keys(), el("div", {class: "text", dir: "rtl", lang: "ar"}, ...marked(doc.text, spans)));
}

function readFilters() {
  state.filters = {
    type: document.getElementById("f-type").value,
    country: document.getElementById("f-country").value,
    date_from: document.getElementById("f-from").value,
    date_to: document.getElementById("f-to").value,
    q: document.getElementById("f-q").value.trim(),
    no_background: !document.getElementById("f-background").checked,
  };
}

async function init() {
  const stored = new URLSearchParams(location.search).get("lang");
  if (stored === "en" || stored === "ar") state.lang = stored;
  const facets = await getJSON("/api/facets");
  const typeSelect = document.getElementById("f-type");
  for (const type of TYPES) typeSelect.append(el("option", {value: type}, typeName(type)));
  const countrySelect = document.getElementById("f-country");
  for (const code of facets.countries) countrySelect.append(el("option", {value: code}, code));
  if (facets.date_min) {
    for (const id of ["f-from", "f-to"]) {
      document.getElementById(id).min = facets.date_min;
      document.getElementById(id).max = facets.date_max;
    }
  }
  applyLanguage();
  const basemap = setupMap();
  document.getElementById("filters").addEventListener("submit", (event) => {
    event.preventDefault();
    readFilters();
    setBrush(null, false);
    loadAll();
  });
  for (const id of ["f-type", "f-country", "f-background"]) {
    document.getElementById(id).addEventListener("change", () => document.getElementById("filters").requestSubmit());
  }
  document.getElementById("f-reset").addEventListener("click", () => {
    document.getElementById("filters").reset();
    document.getElementById("filters").requestSubmit();
  });
  document.getElementById("brush-clear").addEventListener("click", () => setBrush(null));
  document.getElementById("lang").addEventListener("click", () => {
    state.lang = state.lang === "ar" ? "en" : "ar";
    applyLanguage();
    renderList(Number(document.getElementById("count").textContent));
    renderTimeline();
    if (state.selected && !document.getElementById("panel").hidden) openIncident(state.selected);
  });
  document.getElementById("panel-close").addEventListener("click", () => {
    document.getElementById("panel").hidden = true;
    state.selected = null;
    history.replaceState(null, "", location.pathname + location.search);
  });
  document.getElementById("document-close").addEventListener("click", () => { document.getElementById("document").hidden = true; });
  readFilters();
  await Promise.all([loadAll(), basemap]);
  const hash = new URLSearchParams(location.hash.slice(1));
  if (hash.get("incident")) openIncident(hash.get("incident"));
  if (hash.get("document")) openDocument(hash.get("document"));
  window.rasad = {map, cluster, outlines, state};  // for the browser tests and the console
  document.body.dataset.ready = "1";
}

init().catch((error) => {
  document.body.dataset.ready = "error";
  console.error(error);
  document.getElementById("incident-list").append(el("li", {class: "more"}, `${t("error")}: ${error.message}`));
});
