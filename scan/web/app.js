// Media Scan's page: renders /api/dashboard (or, under /figure/<id>, /api/figure/<id>) and
// re-renders when /api/updates says the indexer wrote something. Every number is an element
// with data-value in base units (bytes for traffic) and a link to the transactions behind it.
"use strict";

const main = document.getElementById("main");
const status = document.getElementById("status");
let decimals = 6;
let priceDecimals = 9;
let shownVersion = "";

const escape = (text) => String(text).replace(/[&<>"']/g, (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" })[c]);
const short = (key) => (key && key.length > 12 ? `${key.slice(0, 4)}…${key.slice(-4)}` : key || "");
const groups = (digits) => digits.replace(/\B(?=(\d{3})+(?!\d))/g, ",");

/** Base units as a decimal with up to `shown` fraction digits, exactly (BigInt, no floats). */
function units(base, shown = 2, places = decimals) {
  const value = BigInt(base);
  const negative = value < 0n;
  const abs = negative ? -value : value;
  const scale = 10n ** BigInt(places);
  const whole = abs / scale;
  let fraction = (abs % scale).toString().padStart(places, "0").slice(0, shown).replace(/0+$/, "");
  if (fraction === "" && abs % scale !== 0n && whole === 0n) fraction = (abs % scale).toString().padStart(places, "0").replace(/0+$/, "");
  return `${negative ? "-" : ""}${groups(whole.toString())}${fraction ? `.${fraction}` : ""}`;
}

const BYTE_UNITS = ["B", "KiB", "MiB", "GiB", "TiB", "PiB"];
function bytes(base) {
  let value = BigInt(base);
  let unit = 0;
  let scale = 1n;
  while (unit < BYTE_UNITS.length - 1 && value >= scale * 1024n) {
    scale *= 1024n;
    unit += 1;
  }
  const hundredths = (value * 100n) / scale;
  const whole = hundredths / 100n;
  const fraction = (hundredths % 100n).toString().padStart(2, "0").replace(/0+$/, "");
  return `${groups(whole.toString())}${fraction ? `.${fraction}` : ""} ${BYTE_UNITS[unit]}`;
}

function display(value, unit) {
  if (unit === "bytes") return bytes(value);
  if (unit === "count") return groups(String(value));
  if (unit === "price") return units(value, 4, priceDecimals);
  if (unit === "rate") return units(value, 6);
  return units(value);
}
const unitLabel = (unit) => ({ media: "MEDIA", quote: "quote", price: "MEDIA/quote", rate: "MEDIA/s" })[unit] || "";

/** One figure: a link to its transactions holding the formatted value and the exact base units. */
function figure(name, value, unit, href, attributes = "") {
  return `<a href="${href}" class="figure"><span data-figure="${escape(name)}" data-value="${escape(value)}" ${attributes}>${escape(display(value, unit))}</span>${
    unitLabel(unit) ? `<span class="unit">${unitLabel(unit)}</span>` : ""
  }</a>`;
}

const CARDS = [
  ["bytes-served", "Bytes served", "bytes"],
  ["receipts", "Receipts settled", "count"],
  ["fees-media", "Fees paid (MEDIA)", "media"],
  ["fees-quote", "Fees paid (quote)", "quote"],
  ["revenue-media", "Protocol revenue (MEDIA)", "media"],
  ["revenue-quote", "Protocol revenue (quote)", "quote"],
  ["burned", "MEDIA burned", "media"],
  ["burned-fees", "Burned from fees", "media"],
  ["burned-buyback", "Burned by buybacks", "media"],
  ["supply", "MEDIA supply", "media"],
  ["staked", "Active stake", "media"],
  ["stakers", "Stakers", "count"],
  ["providers", "Providers", "count"],
  ["auctions", "Buyback auctions", "count"],
  ["proposals", "Proposals", "count"],
  ["genesis-supply", "Genesis supply (supply + burned)", "media"],
  ["emission-pool", "Rewards pool (emission vault)", "media"],
  ["emission-rate", "Emission rate", "rate"],
  ["bound", "Stake bound to operators", "media"],
  ["delegated", "Delegated stake", "media"],
  ["operators", "Operators", "count"],
  ["emissions-claimed", "Emissions paid", "media"],
  ["fee-share-claimed", "Fee share paid", "media"],
];

/** An APR (a fraction, or null) as a percentage with two decimals. */
const percent = (apr) => (apr === null || apr === undefined ? "—" : `${(apr * 100).toFixed(2)}%`);
const bps = (value) => `${(Number(value) / 100).toFixed(2)}%`;

function operatorRow(o) {
  const href = `/figure/operator?operator=${encodeURIComponent(o.operator)}`;
  const cell = (field, value, unit) => `<td><a href="${href}"><span data-operator="${o.operator}" data-field="${field}" data-value="${value}">${escape(display(value, unit))}</span></a></td>`;
  const text = (field, value, shown) => `<td><a href="${href}" data-operator="${o.operator}" data-field="${field}" data-text="${escape(value)}">${escape(shown)}</a></td>`;
  const pending = o.pending
    ? `${bps(o.pending.commissionBps)} / ${bps(o.pending.feeShareBps)} from ${new Date(Number(o.pending.effectiveAt) * 1000).toISOString().slice(0, 16).replace("T", " ")}Z`
    : "none";
  return `<tr data-operator-row="${o.operator}">
    <td class="text mono" title="${o.operator}"><a href="${href}">${short(o.operator)}</a>${o.active ? "" : ' <span class="flag">idle</span>'}</td>
    ${cell("boundTotal", o.boundTotal, "media")}${cell("selfBound", o.selfBound, "media")}${cell("delegated", o.delegated, "media")}${cell("delegators", o.delegators, "count")}
    ${text("commissionBps", o.commissionBps, bps(o.commissionBps))}${text("feeShareBps", o.feeShareBps, bps(o.feeShareBps))}
    ${text("pending", o.pending ? `${o.pending.commissionBps}/${o.pending.feeShareBps}@${o.pending.effectiveAt}` : "", pending)}
    ${text("aprDelegator", o.aprDelegator ?? "", percent(o.aprDelegator))}${text("aprOperator", o.aprOperator ?? "", percent(o.aprOperator))}
    ${cell("commissionClaimed", o.commissionClaimed, "media")}${cell("delegatorEmissionsClaimed", o.delegatorEmissionsClaimed, "media")}${cell("delegatorFeesClaimed", o.delegatorFeesClaimed, "media")}
  </tr>`;
}

const CHARTS = [
  { id: "bytes-served", title: "Bytes served per day", unit: "bytes", kind: "bars", series: [["bytesServed", "bytes-served"]] },
  { id: "revenue", title: "Protocol revenue per day", unit: "media", kind: "bars", series: [["revenueMedia", "revenue-media"]] },
  { id: "burns", title: "MEDIA burned per day", unit: "media", kind: "bars", series: [["burnedFees", "burned-fees", "fees"], ["burnedBuyback", "burned-buyback", "buybacks"]] },
  { id: "supply", title: "MEDIA supply (end of day)", unit: "media", kind: "line", series: [["supply", "supply"]] },
  { id: "staked", title: "Active stake (end of day)", unit: "media", kind: "line", series: [["staked", "staked"]] },
];

function chart(spec, days) {
  const width = 560;
  const height = 170;
  const left = 70;
  const bottom = 22;
  const plotW = width - left - 8;
  const plotH = height - bottom - 8;
  const points = days.filter((day) => spec.series.some(([key]) => day[key] !== null));
  if (points.length === 0) return `<div class="chart" data-chart="${spec.id}"><h3>${escape(spec.title)}</h3><p class="empty">no data yet</p></div>`;
  const totalOf = (day) => spec.series.reduce((sum, [key]) => sum + BigInt(day[key] ?? "0"), 0n);
  let max = points.reduce((m, day) => (spec.kind === "bars" ? (totalOf(day) > m ? totalOf(day) : m) : BigInt(day[spec.series[0][0]] ?? "0") > m ? BigInt(day[spec.series[0][0]] ?? "0") : m), 0n);
  let min = 0n;
  if (spec.kind === "line") {
    min = points.reduce((m, day) => (BigInt(day[spec.series[0][0]] ?? "0") < m ? BigInt(day[spec.series[0][0]] ?? "0") : m), max);
    // Leave room around a series that barely moves (a supply shrinking by burns).
    const pad = (max - min) / 10n || max / 1000n || 1n;
    min = min > pad ? min - pad : 0n;
    max += pad;
  }
  if (max <= min) max = min + 1n;
  const span = Number(max - min);
  const y = (value) => 8 + plotH - (Number(BigInt(value) - min) / span) * plotH;
  const step = plotW / points.length;
  const parts = [
    `<line class="axis" x1="${left}" y1="${8 + plotH}" x2="${width - 8}" y2="${8 + plotH}"/>`,
    `<text x="${left - 6}" y="14" text-anchor="end">${escape(display(max.toString(), spec.unit))}</text>`,
    `<text x="${left - 6}" y="${8 + plotH}" text-anchor="end">${escape(display(min.toString(), spec.unit))}</text>`,
  ];
  const labelEvery = Math.max(1, Math.ceil(points.length / 8));
  points.forEach((day, i) => {
    const x = left + i * step;
    if (i % labelEvery === 0) parts.push(`<text x="${x + step / 2}" y="${height - 6}" text-anchor="middle">${escape(day.day.slice(5))}</text>`);
    if (spec.kind === "bars") {
      let base = 8 + plotH;
      spec.series.forEach(([key, figureName], s) => {
        const value = day[key] ?? "0";
        const h = (Number(BigInt(value)) / span) * plotH;
        base -= h;
        parts.push(
          `<a href="/figure/${figureName}?day=${day.day}"><rect class="bar${s ? " second" : ""}" data-series="${figureName}" data-day="${day.day}" data-value="${value}" x="${x + step * 0.15}" y="${base}" width="${Math.max(step * 0.7, 1)}" height="${Math.max(h, 0)}"><title>${escape(`${day.day}: ${display(value, spec.unit)} ${unitLabel(spec.unit)}`)}</title></rect></a>`,
        );
      });
    }
  });
  if (spec.kind === "line") {
    const [key, figureName] = spec.series[0];
    const drawn = points.filter((day) => day[key] !== null);
    const coords = drawn.map((day) => [left + points.indexOf(day) * step + step / 2, y(day[key])]);
    parts.push(`<path class="line" d="${coords.map(([cx, cy], i) => `${i ? "L" : "M"}${cx.toFixed(1)},${cy.toFixed(1)}`).join(" ")}"/>`);
    drawn.forEach((day, i) => {
      parts.push(
        `<a href="/figure/${figureName}?day=${day.day}"><circle data-series="${figureName}" data-day="${day.day}" data-value="${day[key]}" cx="${coords[i][0].toFixed(1)}" cy="${coords[i][1].toFixed(1)}" r="4"><title>${escape(`${day.day}: ${display(day[key], spec.unit)} ${unitLabel(spec.unit)}`)}</title></circle></a>`,
      );
    });
  }
  const legend =
    spec.series.length > 1 ? `<span class="legend">${spec.series.map(([, , name], s) => `<i style="background:var(--accent${s ? "2" : ""})"></i>${escape(name)}`).join("")}</span>` : "";
  return `<div class="chart" data-chart="${spec.id}"><h3>${escape(spec.title)} <span class="unit">${unitLabel(spec.unit)}</span> ${legend}</h3><svg viewBox="0 0 ${width} ${height}" preserveAspectRatio="none">${parts.join("")}</svg></div>`;
}

function providerRow(p) {
  const q = (figureName) => `/figure/${figureName}?provider=${encodeURIComponent(p.provider)}`;
  const cell = (field, value, unit, figureName) =>
    `<td>${`<a href="${q(figureName)}"><span data-provider="${p.provider}" data-field="${field}" data-value="${value}">${escape(display(value, unit))}</span></a>`}</td>`;
  const quota = BigInt(p.quota);
  const used = BigInt(p.quotaUsedNow);
  const percent = quota > 0n ? Number((used * 10000n) / quota) / 100 : 0;
  const flags = p.flags.length
    ? `<a href="${q("provider-flags")}">${p.flags.map((flag) => `<span class="flag" data-provider="${p.provider}" data-flag="${escape(flag)}">${escape(flag)}</span>`).join("")}</a>`
    : `<span class="none">none</span>`;
  return `<tr data-provider-row="${p.provider}">
    <td class="text mono" title="${p.provider}"><a href="${q("provider-bytes")}">${short(p.provider)}</a>${p.active ? "" : ' <span class="flag">inactive</span>'}</td>
    <td class="text mono" title="${p.operator}">${short(p.operator)}</td>
    ${cell("stake", p.stake, "media", "provider-stake")}
    ${cell("mediaPricePerGib", p.mediaPricePerGib, "media", "provider-price")}
    ${cell("quotePricePerGib", p.quotePricePerGib, "quote", "provider-price")}
    <td><a href="${q("provider-quota")}"><span data-provider="${p.provider}" data-field="quotaUsedNow" data-value="${p.quotaUsedNow}">${bytes(p.quotaUsedNow)}</span> / <span data-provider="${p.provider}" data-field="quota" data-value="${p.quota}">${bytes(p.quota)}</span></a><span class="meter" title="${percent}%"><span style="width:${Math.min(percent, 100)}%"></span></span></td>
    ${cell("bytesServed", p.bytesServed, "bytes", "provider-bytes")}
    ${cell("revenueMedia", p.revenueMedia, "media", "provider-revenue-media")}
    ${cell("revenueQuote", p.revenueQuote, "quote", "provider-revenue-quote")}
    <td class="text flags">${flags}</td>
  </tr>`;
}

function renderDashboard(data) {
  const cards = CARDS.filter(([name]) => data.totals[name] !== undefined)
    .map(([name, label, unit]) => `<div class="card"><div class="label">${escape(label)}</div><div class="value">${figure(name, data.totals[name], unit, `/figure/${name}`)}</div></div>`)
    .join("");
  const providers = data.providers.length
    ? `<table id="providers"><thead><tr><th class="text">Provider</th><th class="text">Operator</th><th>Stake (MEDIA)</th><th>Price MEDIA/GiB</th><th>Price quote/GiB</th><th>Quota use (now / quota)</th><th>Bytes served</th><th>Revenue (MEDIA)</th><th>Revenue (quote)</th><th class="text">Fake-usage flags</th></tr></thead><tbody>${data.providers.map(providerRow).join("")}</tbody></table>`
    : `<p class="empty">no provider registered yet</p>`;
  const auctions = data.auctions.length
    ? `<table id="auctions"><thead><tr><th class="text">Auction</th><th>Lot (quote)</th><th>Start price (MEDIA/quote)</th><th>Floor price</th><th>Clearing price</th><th>Fills</th><th>Quote sold</th><th>MEDIA in</th><th>MEDIA burned</th></tr></thead><tbody>${data.auctions
        .map((a) => {
          const link = (field, value, unit) =>
            `<td><a href="/figure/auction?auction=${a.auctionId}"><span data-auction="${a.auctionId}" data-field="${field}" data-value="${value ?? ""}">${value === null ? "—" : escape(display(value, unit))}</span></a></td>`;
          return `<tr><td class="text"><a href="/figure/auction?auction=${a.auctionId}">#${a.auctionId}</a></td>${link("lot", a.lot, "quote")}${link("startPrice", a.startPrice, "price")}${link("floorPrice", a.floorPrice, "price")}${link("clearingPrice", a.clearingPrice, "price")}${link("fills", a.fills, "count")}${link("quotePaid", a.quotePaid, "quote")}${link("mediaSold", a.mediaSold, "media")}${link("mediaBurned", a.mediaBurned, "media")}</tr>`;
        })
        .join("")}</tbody></table>`
    : `<p class="empty">no buyback auction yet</p>`;
  const proposals = data.proposals.length
    ? `<table id="proposals"><thead><tr><th class="text">Proposal</th><th class="text">Proposer</th><th class="text">State</th><th>Votes</th><th>For (MEDIA)</th><th>Against</th><th>Abstain</th></tr></thead><tbody>${data.proposals
        .map((p) => {
          const href = `/figure/proposal?proposal=${encodeURIComponent(p.proposal)}`;
          const link = (field, value, unit) => `<td><a href="${href}"><span data-proposal="${p.proposal}" data-field="${field}" data-value="${value}">${escape(display(value, unit))}</span></a></td>`;
          return `<tr><td class="text"><a href="${href}">#${p.proposalId} <span class="mono">${short(p.proposal)}</span></a></td><td class="text mono">${short(p.proposer)}</td><td class="text" data-proposal="${p.proposal}" data-field="state">${escape(p.state)}</td>${link("votes", p.votes, "count")}${link("votesFor", p.votesFor, "media")}${link("votesAgainst", p.votesAgainst, "media")}${link("votesAbstain", p.votesAbstain, "media")}</tr>`;
        })
        .join("")}</tbody></table>`
    : `<p class="empty">no proposal yet</p>`;
  const operators = (data.operators || []).length
    ? `<table id="operators"><thead><tr><th class="text">Operator</th><th>Bound (MEDIA)</th><th>Own bond</th><th>Delegated</th><th>Delegators</th><th>Commission</th><th>Fee share</th><th>Pending (commission / fee share)</th><th>APR delegator</th><th>APR operator</th><th>Commission paid</th><th>Paid to delegators</th><th>Fee share to delegators</th></tr></thead><tbody>${data.operators.map(operatorRow).join("")}</tbody></table>`
    : `<p class="empty">no operator pool opened yet</p>`;
  const delegations = (data.delegations || []).length
    ? `<table id="delegations"><thead><tr><th class="text">Holder</th><th class="text">Operator</th><th>Bound (MEDIA)</th><th>APR</th><th>Emissions claimed</th><th>Fee share claimed</th></tr></thead><tbody>${data.delegations
        .map((d) => {
          const href = `/figure/operator?operator=${encodeURIComponent(d.operator)}`;
          const cell = (field, value, unit) => `<td><a href="${href}"><span data-delegation="${d.owner}" data-field="${field}" data-value="${value}">${escape(display(value, unit))}</span></a></td>`;
          return `<tr data-delegation-row="${d.owner}"><td class="text mono" title="${d.owner}">${short(d.owner)}${d.selfBond ? ' <span class="flag">own bond</span>' : ""}</td><td class="text mono" title="${d.operator}"><a href="${href}">${short(d.operator)}</a></td>${cell("bound", d.bound, "media")}<td><a href="${href}" data-delegation="${d.owner}" data-field="apr" data-text="${escape(d.apr ?? "")}">${percent(d.apr)}</a></td>${cell("emissionsClaimed", d.emissionsClaimed, "media")}${cell("feesClaimed", d.feesClaimed, "media")}</tr>`;
        })
        .join("")}</tbody></table>`
    : "";
  const allocations = (data.allocations || []).length
    ? `<table id="allocations"><thead><tr><th class="text">Genesis allocation</th><th class="text">Account</th><th>Genesis amount (MEDIA)</th><th>Balance now</th></tr></thead><tbody>${data.allocations
        .map((a) => {
          const href = a.holder === "emission vault" ? "/figure/emission-pool" : "/figure/genesis-supply";
          return `<tr data-allocation-row="${escape(a.name)}"><td class="text">${escape(a.name)}</td><td class="text mono" title="${a.account}">${short(a.account)}</td><td>${
            a.amount === null ? "—" : escape(display(a.amount, "media"))
          }</td><td><a href="${href}"><span data-allocation="${escape(a.name)}" data-field="balance" data-value="${a.balance}">${escape(display(a.balance, "media"))}</span></a></td></tr>`;
        })
        .join("")}</tbody></table>`
    : "";
  const emissions = data.emissions
    ? `<p id="emissions">Mint authority: <span data-field="mintAuthority">${data.emissions.mintAuthority ? escape(short(data.emissions.mintAuthority)) : "none (fixed supply)"}</span> · gross APR of bound stake at the current rate: <span data-field="boundApr">${percent(data.emissions.apr)}</span></p>`
    : "";
  main.innerHTML = `<h2>Network totals</h2><div class="cards">${cards}</div>${emissions}${allocations}
    <h2>Per day</h2><div class="charts">${CHARTS.map((spec) => chart(spec, data.series)).join("")}</div>
    <h2>Operators and delegation</h2>${operators}${delegations}
    <h2>Providers</h2>${providers}
    <h2>Buyback auctions</h2>${auctions}
    <h2>Proposals</h2>${proposals}`;
}

function fields(data) {
  return Object.entries(data)
    .map(([key, value]) => `<b>${escape(key)}</b>=<span class="mono">${escape(typeof value === "string" && value.length > 20 ? short(value) : JSON.stringify(value).replace(/^"|"$/g, ""))}</span>`)
    .join(" ");
}

function renderFigure(data) {
  const params = Object.entries(data.params)
    .map(([key, value]) => `${escape(key)} <span class="mono">${escape(value)}</span>`)
    .join(", ");
  const sum = data.sum === null ? "" : `<p>${escape(data.sumLabel)}: <strong><span data-figure-sum="${data.figure}" data-value="${data.sum}">${escape(display(data.sum, data.unit))}</span> ${unitLabel(data.unit)}</strong></p>`;
  const rows = data.events
    .map(
      (event) => `<tr data-signature="${event.signature}" data-event="${escape(event.name)}">
      <td>${escape(event.slot)}</td><td class="text">${event.blockTime ? new Date(Number(event.blockTime) * 1000).toISOString().replace(".000Z", "Z") : "—"}</td>
      <td class="text mono" title="${event.signature}">${escape(event.signature.slice(0, 20))}…</td>
      <td class="text">${escape(event.program)}.${escape(event.name)}</td>
      <td>${event.contributes === null ? "" : escape(display(event.contributes, data.unit))}</td>
      <td class="fields">${fields(event.data)}</td></tr>`,
    )
    .join("");
  const time = (seconds) => new Date(Number(seconds) * 1000).toISOString().replace(".000Z", "Z");
  const snapshots = data.snapshots
    ? data.snapshots.length
      ? `<h2>Supply read from the chain (getTokenSupply, newest first)</h2><table id="snapshots"><thead><tr><th>Slot</th><th class="text">Chain time (UTC)</th><th>Supply (MEDIA)</th></tr></thead><tbody>${data.snapshots
          .map((row) => `<tr><td>${escape(row.slot)}</td><td class="text">${time(row.at)}</td><td><span data-snapshot-slot="${row.slot}" data-value="${row.mediaSupply}">${escape(display(row.mediaSupply, "media"))}</span></td></tr>`)
          .join("")}</tbody></table><h2>Burns</h2>`
      : `<p class="empty">no supply read yet: the staking program has no config</p>`
    : "";
  main.innerHTML = `<p><a href="/">← dashboard</a></p><h2>${escape(data.label)}</h2>${snapshots}
    <p>${params ? `${params}. ` : ""}<span data-figure-count="${data.figure}" data-value="${data.transactionCount}">${groups(data.transactionCount)}</span> transactions, ${groups(data.eventCount)} events${
      Number(data.eventCount) > data.events.length ? ` (the first ${data.events.length} listed)` : ""
    }.</p>${sum}
    ${data.events.length ? `<table id="evidence"><thead><tr><th>Slot</th><th class="text">Block time (UTC)</th><th class="text">Signature</th><th class="text">Event</th><th>Adds</th><th class="text">Decoded fields</th></tr></thead><tbody>${rows}</tbody></table>` : `<p class="empty">no transaction behind this figure yet</p>`}`;
}

async function refresh() {
  const onFigure = location.pathname.startsWith("/figure/");
  const api = onFigure ? `/api/figure/${location.pathname.slice("/figure/".length)}${location.search}` : "/api/dashboard";
  const response = await fetch(api, { cache: "no-store" });
  const data = await response.json();
  if (!response.ok) {
    main.innerHTML = `<p class="empty">${escape(data.error || response.statusText)}</p>`;
    document.body.dataset.ready = "error";
    return;
  }
  decimals = data.decimals;
  priceDecimals = data.priceDecimals ?? priceDecimals;
  if (onFigure) renderFigure(data);
  else {
    renderDashboard(data);
    shownVersion = data.version;
    document.body.dataset.version = data.version;
    const through = data.indexedThrough;
    document.body.dataset.indexedSlot = through ? through.slot : "0";
    document.body.dataset.at = through ? through.at : "0";
    status.innerHTML = `<span class="live"></span>${escape(data.source)} · ${through ? `indexed through slot ${escape(through.slot)} (chain time ${new Date(Number(through.at) * 1000).toISOString().replace(".000Z", "Z")})` : "catching up…"}${data.busy ? " · indexing" : ""}`;
  }
  if (onFigure) status.textContent = data.source;
  document.body.dataset.ready = "1";
}

let pending = Promise.resolve();
const queueRefresh = () => {
  pending = pending.then(refresh).catch((error) => {
    status.textContent = `cannot load data: ${error.message}`;
  });
};

queueRefresh();
if (!location.pathname.startsWith("/figure/")) {
  const updates = new EventSource("/api/updates");
  updates.addEventListener("version", (event) => {
    if (event.data !== shownVersion) queueRefresh();
  });
}
