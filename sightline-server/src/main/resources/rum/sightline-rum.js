/*
 * Sightline real-user monitoring agent (docs/rum.md). Plain script, no dependencies: page load,
 * Web Vitals, JS errors, fetch/XHR/EventSource spans with W3C traceparent, and streamed answers
 * timed as the user saw them. Also served as an ES module (the server appends the exports), so it
 * stays strict and never relies on a top-level `this`. Nothing in here may throw into the app.
 */
var SightlineRum = (function () {
  'use strict';
  var w = typeof window !== 'undefined' ? window : null;
  if (w && w.SightlineRum) return w.SightlineRum; // classic + module on one page: one agent
  var noop = function () {};
  var api = { init: init, markFirstToken: noop, markTokens: noop, setUser: noop, setRoute: noop,
    addError: noop, flush: function () { return Promise.resolve(); } };
  if (!w || !w.fetch || !w.performance) return api;

  var STREAM_TYPE = /^(text\/event-stream|application\/(x-ndjson|jsonl|stream\+json))/i;
  var cfg, endpoint, queue = [], timer = 0, started = false;
  var traceId, loadSpanId, page, user, vitals = {}, vitalsSent = false;
  var errorsSeen = {}, errorCount = 0, open = [], ended = [], byResponse = new WeakMap();
  var origFetch = w.fetch;

  function now() { return performance.timeOrigin + performance.now(); }
  function hex(bytes) {
    var a = crypto.getRandomValues(new Uint8Array(bytes)), s = '';
    for (var i = 0; i < a.length; i++) s += (a[i] < 16 ? '0' : '') + a[i].toString(16);
    return /^0+$/.test(s) ? hex(bytes) : s; // all-zero ids are invalid in W3C trace context
  }
  function cut(s, max) { s = s == null ? '' : String(s); return s.length > max ? s.slice(0, max) : s; }
  function safe(fn) {
    return function () { try { return fn.apply(null, arguments); } catch (e) { /* never into the app */ } };
  }

  function init(o) {
    try {
      if (started) { console.warn('SightlineRum: init called twice; ignored'); return api; }
      o = o || {};
      if (!o.key) { console.warn('SightlineRum: init needs a key'); return api; }
      started = true;
      cfg = Object.assign({}, o, { propagateTo: [].concat(o.propagateTo || []) }); // the caller's object stays untouched
      endpoint = new URL(o.endpoint || '/rum/v1/events', location.href);
      endpoint.searchParams.set('key', o.key);
      if (!sampled(o.sampleRate == null ? 1 : Number(o.sampleRate))) return api; // sends and injects nothing
      user = o.user;
      traceId = hex(16);
      loadSpanId = hex(8);
      page = { view: hex(8), url: cut(location.href, 2048), route: location.pathname,
        referrer: cut(document.referrer, 2048), title: cut(document.title, 256) };
      api.markFirstToken = safe(markFirstToken);
      api.markTokens = safe(markTokens);
      api.setUser = safe(function (id) { user = id == null ? undefined : String(id); });
      api.setRoute = safe(setRoute);
      api.addError = safe(function (e) { recordError('manual', e); });
      api.flush = flush;
      wrapFetch(); wrapXhr(); wrapEventSource(); observeVitals(); listen();
      if (document.readyState === 'complete') setTimeout(safe(pageLoad), 0);
      else w.addEventListener('load', function () { setTimeout(safe(pageLoad), 0); });
    } catch (e) { /* a broken agent must leave the app running */ }
    return api;
  }

  // Decided once per tab session and remembered, so a session is sent whole or not at all.
  function sampled(rate) {
    var s;
    try { s = JSON.parse(sessionStorage.getItem('sightline-rum') || 'null'); } catch (e) { s = null; }
    if (!s || !/^[0-9a-f]{16}$/.test(s.id)) {
      s = { id: hex(8), in: Math.random() < rate };
      try { sessionStorage.setItem('sightline-rum', JSON.stringify(s)); } catch (e) { /* private mode */ }
    }
    cfg.session = s.id;
    return s.in;
  }

  function push(ev) {
    queue.push(ev);
    if (queue.length >= 30) send(false);
    else if (!timer) timer = setTimeout(function () { send(false); }, 5000);
  }

  // ---- page load: offsets (ttfbMs, dom*, loadMs) from navigation start; *Ms of phases are durations
  function pageLoad() {
    var n = performance.getEntriesByType('navigation')[0], t0 = performance.timeOrigin;
    if (!n) { push({ type: 'page_load', traceId: traceId, spanId: loadSpanId, start: t0, end: now() }); return; }
    var d = function (a, b) { return a > 0 && b >= a ? b - a : 0; };
    push({ type: 'page_load', traceId: traceId, spanId: loadSpanId, start: t0 + n.startTime,
      end: t0 + (n.loadEventEnd || performance.now()),
      nav: { type: n.type, redirectMs: d(n.redirectStart, n.redirectEnd), dnsMs: d(n.domainLookupStart, n.domainLookupEnd),
        connectMs: d(n.connectStart, n.connectEnd), tlsMs: d(n.secureConnectionStart, n.connectEnd),
        ttfbMs: n.responseStart, responseMs: d(n.responseStart, n.responseEnd), domInteractiveMs: n.domInteractive,
        domContentLoadedMs: n.domContentLoadedEventEnd, loadMs: n.loadEventEnd, transferBytes: n.transferSize } });
  }

  // ---- Web Vitals
  function observe(type, fn, extra) {
    try {
      var o = new PerformanceObserver(safe(function (l) { l.getEntries().forEach(fn); }));
      o.observe(Object.assign({ type: type, buffered: true }, extra));
      return o;
    } catch (e) { return null; }
  }
  function observeVitals() {
    var lcpDone = false, win = [], winSum = 0, groups = {};
    observe('paint', function (e) { if (e.name === 'first-contentful-paint') vitals.fcpMs = e.startTime; });
    // LCP: the last candidate before the user first interacts or the page is hidden
    if (observe('largest-contentful-paint', function (e) { if (!lcpDone) vitals.lcpMs = e.startTime; })) {
      var stop = function () { lcpDone = true; };
      ['keydown', 'pointerdown', 'click'].forEach(function (t) { w.addEventListener(t, stop, { capture: true, once: true }); });
      document.addEventListener('visibilitychange', stop, { once: true });
    }
    // CLS: shifts not caused by input, grouped in session windows (gaps < 1 s, windows <= 5 s); the worst window
    if (observe('layout-shift', function (e) {
      if (e.hadRecentInput) return;
      if (win.length && (e.startTime - win[win.length - 1].startTime >= 1000 || e.startTime - win[0].startTime >= 5000)) {
        win = []; winSum = 0;
      }
      win.push(e); winSum += e.value;
      vitals.cls = Math.max(vitals.cls || 0, winSum);
    })) vitals.cls = vitals.cls || 0;
    // INP, simplified: the longest interaction, where an interaction's duration is the max over the
    // event-timing entries sharing its interactionId (durationThreshold 40 ms: shorter ones never matter
    // for a "slow" verdict). The official metric takes the 98th percentile past 50 interactions.
    var inp = function (e) {
      if (!e.interactionId) return;
      groups[e.interactionId] = Math.max(groups[e.interactionId] || 0, e.duration);
      vitals.inpMs = Math.max(vitals.inpMs || 0, groups[e.interactionId]);
    };
    observe('event', inp, { durationThreshold: 40 });
    observe('first-input', inp);
  }
  function sendVitals() {
    if (vitalsSent || !Object.keys(vitals).length) return;
    vitalsSent = true;
    push(Object.assign({ type: 'vitals', time: now(), traceId: traceId, parentSpanId: loadSpanId, spanId: hex(8) }, vitals));
  }

  // ---- errors
  function recordError(kind, err, ev) {
    if (errorCount >= 20) return;
    var isErr = err instanceof Error || (err && err.stack && err.message);
    var msg = cut(isErr ? err.message : (ev && ev.message) || String(err), 2048);
    var src = (ev && ev.filename) || '', line = ev && ev.lineno, col = ev && ev.colno;
    var sig = kind + '|' + msg + '|' + src + '|' + line + '|' + col;
    if (errorsSeen[sig]) return; // the same error in a loop counts once
    errorsSeen[sig] = 1; errorCount++;
    push({ type: 'error', time: now(), traceId: traceId, parentSpanId: loadSpanId, spanId: hex(8), kind: kind,
      message: msg, errorType: isErr ? err.name || 'Error' : typeof err, stack: cut(isErr ? err.stack : '', 8192),
      source: cut(src, 2048), line: line, col: col });
  }

  function listen() {
    w.addEventListener('error', safe(function (e) { if (e instanceof ErrorEvent) recordError('error', e.error || e.message, e); }));
    w.addEventListener('unhandledrejection', safe(function (e) { recordError('unhandledrejection', e.reason); }));
    document.addEventListener('visibilitychange', safe(function () {
      if (document.visibilityState === 'hidden') { sendVitals(); send(true); }
    }));
    w.addEventListener('pagehide', safe(function () {
      open.concat(ended).forEach(function (c) { finish(c, c.status, c.error); settle(c); });
      sendVitals(); send(true);
    }));
  }

  // ---- request spans
  function target(url) {
    // what to do with a request: null = leave alone (the agent's own beacons, non-http), else whether to propagate
    var u = new URL(url, location.href);
    if (!/^https?:$/.test(u.protocol) || (u.origin === endpoint.origin && u.pathname === endpoint.pathname)) return null;
    var allow = u.origin === location.origin || (cfg.propagateTo || []).some(function (p) {
      return p instanceof RegExp ? p.test(u.href) : new URL(p, location.href).origin === u.origin;
    });
    return { url: u.href, propagate: allow };
  }
  function begin(api_, method, t) {
    var c = { api: api_, traceId: hex(16), spanId: hex(8), start: now(), method: String(method || 'GET').toUpperCase(),
      url: cut(t.url, 2048), propagated: t.propagate };
    c.header = '00-' + c.traceId + '-' + c.spanId + '-01';
    open.push(c);
    return c;
  }
  function finish(c, status, error) {
    if (c.end) return;
    c.end = now(); c.status = status || 0; c.error = error;
    var i = open.indexOf(c);
    if (i >= 0) open.splice(i, 1);
  }
  function settle(c) {
    if (c.settled) return;
    c.settled = true;
    if (ended.indexOf(c) >= 0) ended.splice(ended.indexOf(c), 1);
    var ev = { type: 'fetch', traceId: c.traceId, spanId: c.spanId, start: c.start, end: c.end, method: c.method,
      url: c.url, status: c.status, api: c.api, propagated: c.propagated };
    if (c.error) ev.error = cut(c.error, 2048);
    var s = c.stream;
    if (s) {
      var app = s.appFirst != null, appCounted = s.appTokens > 0;
      ev.stream = { firstByte: s.firstByte, firstToken: app ? s.appFirst : s.autoFirst,
        lastToken: appCounted ? s.appLast : s.autoLast, tokens: appCounted ? s.appTokens : s.autoTokens,
        chunks: s.chunks, source: app ? 'app' : 'auto' };
    }
    push(ev);
  }

  function wrapFetch() {
    w.fetch = function (input, opts) {
      var c = null, args = arguments;
      try {
        var isReq = typeof Request !== 'undefined' && input instanceof Request;
        var t = target(isReq ? input.url : String(input));
        if (t) {
          c = begin('fetch', (opts && opts.method) || (isReq ? input.method : 'GET'), t);
          if (t.propagate) {
            var h = new Headers((opts && opts.headers) || (isReq ? input.headers : undefined));
            if (h.has('traceparent')) c.propagated = false; // the app's own trace context wins
            else { h.set('traceparent', c.header); args = [input, Object.assign({}, opts, { headers: h })]; }
          }
        }
      } catch (e) { c = null; args = arguments; }
      var p = origFetch.apply(this, args);
      if (!c) return p;
      return p.then(function (res) {
        try { return response(c, res); } catch (e) { finish(c, res.status); settle(c); return res; }
      }, function (err) {
        try { finish(c, 0, (err && err.name) + ': ' + (err && err.message)); settle(c); } catch (e) { /* ignore */ }
        throw err;
      });
    };
  }

  // A streamed answer: the app reads one branch of a tee, the agent reads the other to time it.
  function response(c, res) {
    var ct = res.headers.get('content-type') || '';
    if (!res.body || !STREAM_TYPE.test(ct) || res.status < 200 || res.status === 204 || res.status === 205) {
      finish(c, res.status); settle(c); return res;
    }
    var parts = res.body.tee();
    var out = new Response(parts[0], { status: res.status, statusText: res.statusText, headers: res.headers });
    ['url', 'redirected', 'type'].forEach(function (k) { Object.defineProperty(out, k, { value: res[k] }); });
    c.stream = { chunks: 0, autoTokens: 0, appTokens: 0 };
    c.status = res.status;
    byResponse.set(out, c);
    read(c, parts[1].getReader(), /json/i.test(ct));
    return out;
  }
  function read(c, reader, lines) {
    var dec = new TextDecoder(), buf = '', s = c.stream;
    var done = function (err) {
      finish(c, c.status, err);
      ended.push(c);
      setTimeout(safe(function () { settle(c); }), 1000); // the app may still mark a token it renders late
    };
    var step = function (r) {
      if (r.done) { line(buf); done(); return; }
      if (!r.value || !r.value.length) return reader.read().then(step, fail);
      var t = now();
      if (s.firstByte == null) s.firstByte = t;
      s.chunks++;
      buf += dec.decode(r.value, { stream: true });
      var parts = buf.split('\n');
      buf = parts.pop();
      parts.forEach(function (l) { line(l, t); });
      return reader.read().then(step, fail);
    };
    // SSE: one `data:` line = one event (multi-line data is rare for LLM APIs); NDJSON: one line
    var line = function (l, t) {
      l = l.replace(/\r$/, '');
      var data = lines ? l : /^data:/.test(l) ? l.slice(5).trim() : null;
      if (data == null || !content(data)) return;
      t = t || now();
      if (s.autoFirst == null) s.autoFirst = t;
      s.autoLast = t; s.autoTokens++;
    };
    var fail = function (e) { done((e && e.name) + ': ' + (e && e.message)); };
    reader.read().then(step, fail).catch(function () { /* never unhandled */ });
  }

  // Whether one event carries answer content (not a role-only delta, not [DONE]); non-JSON data always does.
  function content(data) {
    data = data.trim();
    if (!data || data === '[DONE]') return false;
    var j;
    try { j = JSON.parse(data); } catch (e) { return true; }
    if (j === null || typeof j !== 'object') return typeof j !== 'boolean' && j !== '';
    var fill = function (v) {
      return typeof v === 'string' ? v.length > 0
        : Array.isArray(v) && v.some(function (x) { return fill(x) || (x && fill(x.text)); });
    };
    var msg = function (d) {
      return !!d && (fill(d.content) || fill(d.reasoning) || fill(d.reasoning_content) || fill(d.text) ||
        fill(d.partial_json) || fill(d.thinking) || (d.tool_calls || []).some(function (t) { return t && t.function && fill(t.function.arguments); }));
    };
    return (j.choices || []).some(function (ch) { return ch && (msg(ch.delta) || msg(ch.message) || fill(ch.text)); }) ||
      (j.candidates || []).some(function (ch) { return ch && ch.content && fill(ch.content.parts); }) ||
      msg(j.delta) || fill(j.delta) || msg(j.message) || fill(j.response) || fill(j.content) || fill(j.text);
  }

  function streamOf(res) {
    if (res) return byResponse.get(res);
    // the latest stream still running, else the latest that just ended (a one-chunk answer)
    var all = ended.concat(open);
    for (var i = all.length - 1; i >= 0; i--) if (all[i].stream) return all[i];
    return null;
  }
  function markFirstToken(res) {
    var c = streamOf(res);
    if (!c || c.settled || c.stream.appFirst != null) return;
    c.stream.appFirst = c.stream.appLast = now();
    c.stream.appTokens = Math.max(c.stream.appTokens, 1);
  }
  // App-counted tokens; the first mark also marks the first token if markFirstToken was not called.
  function markTokens(n, res) {
    var c = streamOf(res);
    if (!c || c.settled) return;
    var s = c.stream, t = now();
    if (s.appFirst == null) s.appFirst = t;
    s.appTokens += Math.max(0, Number(n) || 0);
    s.appLast = t;
  }

  function wrapXhr() {
    var X = w.XMLHttpRequest && w.XMLHttpRequest.prototype;
    if (!X) return;
    var openX = X.open, sendX = X.send, meta = new WeakMap();
    X.open = function (method, url) {
      try { meta.set(this, { method: method, url: String(url) }); } catch (e) { /* ignore */ }
      return openX.apply(this, arguments);
    };
    X.send = function () {
      try {
        var m = meta.get(this), t = m && target(m.url);
        if (t) {
          var c = begin('xhr', m.method, t), x = this, err;
          if (t.propagate) X.setRequestHeader.call(this, 'traceparent', c.header);
          ['error', 'timeout', 'abort'].forEach(function (k) { x.addEventListener(k, function () { err = k; }); });
          x.addEventListener('loadend', safe(function () { finish(c, err ? 0 : x.status, err); settle(c); }));
        }
      } catch (e) { /* ignore */ }
      return sendX.apply(this, arguments);
    };
  }

  // EventSource cannot send headers: no traceparent, but one span per connection with its first message timed.
  function wrapEventSource() {
    var ES = w.EventSource;
    if (!ES) return;
    var Wrapped = function (url, conf) {
      var es = new ES(url, conf);
      safe(function () {
        var t = target(String(url));
        if (!t) return;
        var c = begin('eventsource', 'GET', { url: t.url, propagate: false }), opened = false;
        c.stream = { chunks: 0, autoTokens: 0, appTokens: 0 };
        byResponse.set(es, c);
        var end = function (err) { finish(c, opened ? 200 : 0, err); settle(c); };
        es.addEventListener('open', function () { opened = true; });
        es.addEventListener('message', safe(function (e) {
          if (c.end) return;
          var s = c.stream, t2 = now();
          if (s.firstByte == null) s.firstByte = t2;
          s.chunks++;
          if (!content(String(e.data))) return;
          if (s.autoFirst == null) s.autoFirst = t2;
          s.autoLast = t2; s.autoTokens++;
        }));
        es.addEventListener('error', safe(function () { if (!c.end) end(opened ? undefined : 'connection failed'); }));
        var close = es.close;
        es.close = function () { safe(end)(); return close.apply(es, arguments); };
      })();
      return es;
    };
    Wrapped.prototype = ES.prototype;
    ['CONNECTING', 'OPEN', 'CLOSED'].forEach(function (k) { Wrapped[k] = ES[k]; });
    w.EventSource = Wrapped;
  }

  function setRoute(route) {
    send(false); // queued events keep the route they happened on
    page = Object.assign({}, page, { route: cut(route, 512), url: cut(location.href, 2048), title: cut(document.title, 256) });
  }

  // ---- transport: bodies of <= 200 events and <= 60 KB, split in halves until they fit
  function bodies(events) {
    var out = [];
    var make = function (evs) {
      var b = JSON.stringify({ key: cfg.key, sentAt: now(), session: cfg.session, user: user, release: cfg.release,
        page: page, events: evs });
      if (evs.length > 1 && (evs.length > 200 || new Blob([b]).size > 60000)) {
        var half = Math.ceil(evs.length / 2);
        make(evs.slice(0, half)); make(evs.slice(half));
      } else if (new Blob([b]).size <= 60000) out.push(b); // a single event is small once its strings are cut
    };
    if (events.length) make(events);
    return out;
  }
  function post(body, keepalive) {
    return origFetch(endpoint.href, { method: 'POST', body: body, keepalive: keepalive, credentials: 'omit',
      headers: { 'content-type': 'text/plain;charset=UTF-8' } }).then(function (r) { return r.arrayBuffer(); });
  }
  function send(beacon) {
    clearTimeout(timer); timer = 0;
    var list = bodies(queue.splice(0)), chain = Promise.resolve();
    list.forEach(function (b) {
      try {
        // at pagehide there is no later: beacons now (the browser sends them after the page is gone)
        if (beacon && navigator.sendBeacon &&
          navigator.sendBeacon(endpoint.href, new Blob([b], { type: 'text/plain;charset=UTF-8' }))) return;
        if (beacon) { post(b, true).catch(noop); return; }
        // one at a time: keepalive requests in flight share a 64 KB quota; if it is still taken, the page
        // is alive anyway, so a plain request does
        chain = chain.then(function () {
          return post(b, true).catch(function () { return post(b, false); }).catch(noop);
        });
      } catch (e) { /* ignore */ }
    });
    return chain;
  }
  // Sends everything now (vitals included) and resolves once the ingest answered; never rejects.
  function flush() {
    try {
      ended.slice().forEach(settle);
      sendVitals();
      return send(false).then(function () {}, function () {});
    } catch (e) { return Promise.resolve(); }
  }

  // auto-init from <script src=".../sightline-rum.js" data-key=...>
  try {
    var me = document.currentScript || document.querySelector('script[data-key][src*="sightline-rum"]');
    if (me && me.dataset && me.dataset.key) {
      var d = me.dataset;
      init({ key: d.key, endpoint: d.endpoint || new URL('/rum/v1/events', me.src).href, release: d.release,
        sampleRate: d.sampleRate == null ? 1 : Number(d.sampleRate),
        propagateTo: d.propagateTo ? d.propagateTo.split(/[\s,]+/).filter(Boolean) : [] });
    }
  } catch (e) { /* ignore */ }
  w.SightlineRum = api;
  return api;
})();
