/* rasad serve: the alerts panel and the trends table, over /api/alerts and /api/trends. Loaded
   after app.js, whose helpers (t, el, svg, getJSON, renderList, renderMap, loadIncidents), state
   and I18N table it uses; app.js tells it when the language changes ("rasad:language") and when
   a filter loads the incidents again ("rasad:load"). */
"use strict";

Object.assign(I18N.ar, {alerts: "التنبيهات", trends: "الاتجاهات", per_week: "أسبوعياً",
  per_day: "يومياً", area: "المنطقة", last_period: "الأخيرة", baseline: "المعدل", change: "التغير",
  no_alerts: "لا تنبيهات (شغّل rasad alerts)", alert: "تنبيه", killed: "قتيلاً",
  surge: "ارتفاع مفاجئ", poisson: "ارتفاع غير معتاد", mass_casualty: "خسائر بشرية كبيرة",
  new_actor: "فاعل جديد في المنطقة", keyword: "كلمات مراقبة"});
Object.assign(I18N.en, {alerts: "Alerts", trends: "Trends", per_week: "per week",
  per_day: "per day", area: "Area", last_period: "last", baseline: "baseline", change: "change",
  no_alerts: "no alerts (run rasad alerts)", alert: "alert", killed: "killed",
  surge: "surge", poisson: "unusual rise", mass_casualty: "mass casualties",
  new_actor: "actor new to the area", keyword: "keyword watch"});
const TREND_AREAS = 8;     // rows of the trends table
const TREND_PERIODS = 12;  // periods drawn in each row's bars

const monitor = {alerts: [], trends: null, trendKey: null, trendError: null, alert: null};

function alertFigure(alert) {
  if (alert.kind === "mass_casualty") return `${alert.value} ${t("killed")}`;
  if (alert.kind === "surge") return `${alert.count} / ${alert.baseline} (×${alert.value.toFixed(1)})`;
  if (alert.kind === "poisson") return `${alert.count} / ${alert.baseline} (p=${alert.value.toPrecision(2)})`;
  return `${alert.incident_ids.length} ${t("incidents")}`;
}

function alertArea(alert) {
  return (state.lang === "ar" && alert.area_ar) || alert.area;
}

function renderAlerts() {
  const list = document.getElementById("alert-list");
  document.getElementById("alert-count").textContent = `(${monitor.alerts.length})`;
  list.replaceChildren(...monitor.alerts.map((alert) => el("li", {
    "data-id": alert.alert_id, "data-kind": alert.kind, title: alert.message,
    class: alert.alert_id === monitor.alert ? "active" : null, onclick: () => focusAlert(alert)},
  el("div", {}, el("strong", {}, t(alert.kind)), " · ", el("span", {dir: "auto"}, alertArea(alert))),
  el("div", {class: "meta"}, `${alert.period_start} → ${alert.period_end} · ${alertFigure(alert)}`),
  state.lang === "ar" ? null : el("div", {class: "meta", dir: "ltr"}, alert.message))));
  if (!monitor.alerts.length) list.append(el("li", {class: "more"}, t("no_alerts")));
  const focus = monitor.alerts.find((a) => a.alert_id === monitor.alert);
  document.getElementById("alert-focus").hidden = !focus;
  document.getElementById("alert-focus-label").textContent = focus
    ? `— ${t("alert")}: ${t(focus.kind)} · ${alertArea(focus)}` : "";
}

/* Clicking an alert shows its incidents, and only them, on the map and in the list. */
async function focusAlert(alert) {
  const ticket = ++loads;  // an answer to an earlier filter is dropped (app.js)
  let found;
  try {
    found = await getJSON("/api/alerts/" + encodeURIComponent(alert.alert_id));
  } catch (error) {
    document.getElementById("alert-focus-label").textContent = `${t("error")}: ${error.message}`;
    return;
  }
  if (ticket !== loads) return;
  monitor.alert = alert.alert_id;
  state.incidents = found.incidents;
  renderAlerts();
  renderList(found.incidents.length);
  await renderMap();
}

function clearAlert() {
  monitor.alert = null;
  renderAlerts();
  loadIncidents();
}

async function loadAlerts() {
  try {
    monitor.alerts = (await getJSON("/api/alerts")).items;
  } catch (error) {
    monitor.alerts = [];
  }
  renderAlerts();
}

/* The trends table: the areas with most incidents, each period's count as a bar, the last
   period against the trailing baseline; it follows the type and country filters. */
function trendBars(counts) {
  const shown = counts.slice(-TREND_PERIODS);
  const top = Math.max(1, ...shown);
  const box = svg("svg", {class: "bars", width: shown.length * 5, height: 16, role: "img"});
  shown.forEach((n, i) => box.append(svg("rect", {x: i * 5, y: 16 - (n / top) * 16, width: 4,
    height: Math.max((n / top) * 16, 0.5), fill: i === shown.length - 1 ? "#d62728" : "#7a8a99"})));
  return box;
}

function renderTrends() {
  const table = document.getElementById("trend-table");
  if (monitor.trendError || !monitor.trends) {
    table.replaceChildren(el("caption", {class: "meta"}, monitor.trendError ? `${t("error")}: ${monitor.trendError}` : t("loading")));
    return;
  }
  const percent = (c) => (c === null ? "—" : `${c >= 0 ? "+" : ""}${Math.round(c * 100)}%`);
  const rows = monitor.trends.areas.slice(0, TREND_AREAS).map((a) => {
    const last = a.incidents.length - 1;
    const baseline = a.baseline[last];
    return el("tr", {"data-country": a.country, onclick: () => {
      document.getElementById("f-country").value = a.country;
      document.getElementById("filters").requestSubmit();
    }},
    el("td", {dir: "auto"}, (state.lang === "ar" && a.name_ar) || a.area),
    el("td", {}, trendBars(a.incidents)),
    el("td", {class: "num"}, String(a.incidents[last])),
    el("td", {class: "num"}, baseline === null ? "—" : baseline.toFixed(1)),
    el("td", {class: "num", dir: "ltr"}, percent(a.change[last])));
  });
  const p = monitor.trends.periods;
  table.replaceChildren(
    el("caption", {class: "meta"}, `${p[0].start} → ${p[p.length - 1].end}`),
    el("tr", {}, ...["area", "incidents", "last_period", "baseline", "change"].map((k) => el("th", {}, t(k)))),
    ...rows);
}

async function loadTrends() {
  const query = new URLSearchParams({by: "country", period: document.getElementById("trend-period").value});
  if (state.filters.type) query.append("type", state.filters.type);
  if (state.filters.country) query.append("country", state.filters.country);
  const key = query.toString();
  if (key === monitor.trendKey) return;
  monitor.trendKey = key;
  try {
    const trends = await getJSON("/api/trends?" + key);
    if (key !== monitor.trendKey) return;
    monitor.trends = trends;
    monitor.trendError = null;
  } catch (error) {
    monitor.trends = null;
    monitor.trendError = error.message;
  }
  renderTrends();
}

document.addEventListener("rasad:language", () => { renderAlerts(); renderTrends(); });
document.addEventListener("rasad:load", () => {
  if (monitor.alert) { monitor.alert = null; renderAlerts(); }
  loadTrends();
});
document.getElementById("alert-clear").addEventListener("click", clearAlert);
document.getElementById("trend-period").addEventListener("change", loadTrends);
loadAlerts();
