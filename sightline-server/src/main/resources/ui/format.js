// Number, time and money formatting for the dashboard.

export function num(n) {
  if (n === null || n === undefined || Number.isNaN(n)) return "–";
  return Number(n).toLocaleString("en-US");
}

export function compact(n) {
  if (n === null || n === undefined || Number.isNaN(n)) return "–";
  const a = Math.abs(n);
  if (a >= 1e9) return (n / 1e9).toFixed(a >= 1e10 ? 0 : 1) + "B";
  if (a >= 1e6) return (n / 1e6).toFixed(a >= 1e7 ? 0 : 1) + "M";
  if (a >= 1e4) return (n / 1e3).toFixed(a >= 1e5 ? 0 : 1) + "k";
  return num(Math.round(n * 100) / 100);
}

export function ms(v) {
  if (v === null || v === undefined || Number.isNaN(v)) return "–";
  if (v >= 60000) return (v / 60000).toFixed(1) + " min";
  if (v >= 10000) return (v / 1000).toFixed(1) + " s";
  if (v >= 1000) return (v / 1000).toFixed(2) + " s";
  if (v >= 100) return Math.round(v) + " ms";
  if (v >= 1) return v.toFixed(1) + " ms";
  return v.toFixed(2) + " ms";
}

/** USD from the API's plain decimal (number or string); small values keep their significant digits. */
export function usd(v) {
  if (v === null || v === undefined) return "–";
  const n = Number(v);
  if (n === 0) return "$0";
  const a = Math.abs(n);
  if (a >= 100) return "$" + n.toLocaleString("en-US", {maximumFractionDigits: 0});
  if (a >= 1) return "$" + n.toFixed(2);
  if (a >= 0.01) return "$" + n.toFixed(4);
  return "$" + n.toFixed(Math.min(12, 2 - Math.floor(Math.log10(a))));
}

/** Exact USD as stored (for the call view's breakdown). */
export function usdExact(v) {
  if (v === null || v === undefined) return "–";
  return "$" + String(v);
}

export function pct(v) {
  if (v === null || v === undefined || Number.isNaN(v)) return "–";
  if (v === 0) return "0%";
  if (v < 0.001) return "<0.1%";
  return (v * 100).toFixed(v < 0.1 ? 1 : 0) + "%";
}

export function time(iso) {
  if (!iso) return "–";
  const d = new Date(iso);
  const pad = (x, n = 2) => String(x).padStart(n, "0");
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())} ${pad(d.getHours())}:${pad(d.getMinutes())}:${pad(d.getSeconds())}`;
}

export function rate(v) {
  if (v === null || v === undefined || Number.isNaN(v)) return "–";
  return v >= 100 ? Math.round(v).toLocaleString("en-US") : v.toFixed(1);
}

/** A size in bytes, in binary units (the disk-usage figures). */
export function bytes(n) {
  if (n === null || n === undefined || Number.isNaN(Number(n))) return "–";
  const v = Number(n);
  const units = ["B", "KiB", "MiB", "GiB", "TiB"];
  let i = 0;
  let x = v;
  while (Math.abs(x) >= 1024 && i < units.length - 1) {
    x /= 1024;
    i++;
  }
  return i === 0 ? `${v} B` : `${x.toFixed(x >= 100 ? 0 : 1)} ${units[i]}`;
}
