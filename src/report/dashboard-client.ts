/**
 * The dashboard's in-page script, as source text the page inlines. It reads the
 * 'fmnist-dashboard' data island, draws the table and both charts, and redraws them on
 * every sort, filter or view change. All data reaches the DOM through textContent,
 * never innerHTML. Plain ES2020 so any current browser runs it without a build step.
 */
export const DASHBOARD_SCRIPT = String.raw`
(function () {
  'use strict';
  var data = JSON.parse(document.getElementById('fmnist-dashboard').textContent);
  var state = { view: 'fashion', classifier: '', text: '', runOnly: false, sortKey: null, sortDir: 1 };
  var NAMES = { fashion: 'Fashion-MNIST', mnist: 'MNIST' };
  // Under the 's / repeat' and 'peak MB' groups the short names keep the table narrow.
  var SHORT = { fashion: 'Fashion', mnist: 'MNIST' };

  function fmtAcc(x) { return x == null ? '' : x.toFixed(3); }
  function fmtDelta(d) {
    if (d == null) return '';
    var r = Number(d.toFixed(3));
    if (r === 0) return '\u00b10.000';
    return (r > 0 ? '+' : '\u2212') + Math.abs(r).toFixed(3);
  }
  function fmtSeconds(s) {
    if (s == null || !isFinite(s)) return '';
    if (s < 10) return s.toFixed(2) + ' s';
    if (s < 60) return s.toFixed(1) + ' s';
    if (s < 3600) { var m = Math.floor(s / 60); return m + ' min ' + String(Math.round(s - 60 * m)).padStart(2, '0') + ' s'; }
    var h = Math.floor(s / 3600); return h + ' h ' + String(Math.round((s - 3600 * h) / 60)).padStart(2, '0') + ' min';
  }

  function cellColumns(ds, grouped) {
    var g = grouped ? NAMES[ds] : null;
    return [
      { key: ds + '.paper', label: 'Paper', group: g, numeric: true,
        value: function (r) { return r[ds].paper; },
        render: function (td, r) { td.textContent = fmtAcc(r[ds].paper); td.className = 'num paper'; } },
      { key: ds + '.mean', label: 'Ours (mean \u00b1 2\u03c3)', group: g, numeric: true,
        value: function (r) { return r[ds].mean; },
        render: function (td, r) {
          var c = r[ds];
          if (c.mean == null) { td.textContent = c.status; td.className = 'status ' + c.status.replace(/ /g, '-'); return; }
          td.className = 'num ours';
          td.textContent = fmtAcc(c.mean) + ' \u00b1 ' + fmtAcc(c.std2);
          var n = document.createElement('span'); n.className = 'repeats'; n.textContent = ' n=' + c.repeats;
          td.appendChild(n);
          if (c.subset) { var sub = document.createElement('span'); sub.className = 'subset'; sub.textContent = ' subset'; sub.title = c.subset; td.appendChild(sub); }
          var tip = 'scores: ' + c.scores.map(fmtAcc).join(', ') + (c.note ? '\n' + c.note : '');
          td.title = tip;
        } },
      { key: ds + '.delta', label: '\u0394', group: g, numeric: true,
        value: function (r) { return r[ds].delta; },
        render: function (td, r) {
          var d = r[ds].delta; td.textContent = fmtDelta(d);
          td.className = 'num delta' + (d == null ? '' : Math.abs(d) <= 0.01 + 1e-9 ? ' close' : d > 0 ? ' above' : ' below');
        } },
    ];
  }
  function secondsColumn(ds, grouped) {
    return { key: ds + '.seconds', label: grouped ? SHORT[ds] : 's / repeat', group: grouped ? 's / repeat' : null, numeric: true,
      value: function (r) { return r[ds].secondsPerRepeat; },
      render: function (td, r) { td.textContent = fmtSeconds(r[ds].secondsPerRepeat); td.className = 'num seconds'; } };
  }
  // Repeats stored before peak memory was measured have none: the cell stays empty.
  function peakColumn(ds, grouped) {
    return { key: ds + '.peak', label: grouped ? SHORT[ds] : 'peak MB', group: grouped ? 'peak MB' : null, numeric: true,
      value: function (r) { return r[ds].peakRssMB; },
      render: function (td, r) { var mb = r[ds].peakRssMB; td.textContent = mb == null ? '' : String(Math.round(mb)); td.className = 'num peak'; } };
  }
  var BASE = [
    { key: 'classifier', label: 'Classifier', value: function (r) { return r.classifier; },
      render: function (td, r) { td.textContent = r.classifier; td.className = 'classifier'; } },
    { key: 'paramsText', label: 'Parameters', value: function (r) { return r.paramsText; },
      render: function (td, r) {
        td.textContent = r.paramsText; td.className = 'params';
        if (!r.inGrid) { var s = document.createElement('span'); s.className = 'extra'; s.textContent = ' (not in the paper)'; td.appendChild(s); }
      } },
  ];
  function columns() {
    if (state.view === 'both') {
      return BASE.concat(cellColumns('fashion', true), cellColumns('mnist', true), [secondsColumn('fashion', true), secondsColumn('mnist', true), peakColumn('fashion', true), peakColumn('mnist', true)]);
    }
    return BASE.concat(cellColumns(state.view, false), [secondsColumn(state.view, false), peakColumn(state.view, false)]);
  }

  function isRun(r) {
    if (state.view === 'both') return r.fashion.mean != null || r.mnist.mean != null;
    return r[state.view].mean != null;
  }
  function visibleRows() {
    var text = state.text.trim().toLowerCase();
    var rows = data.rows.filter(function (r) {
      if (state.classifier && r.classifier !== state.classifier) return false;
      if (text && (r.classifier + ' ' + r.paramsText).toLowerCase().indexOf(text) < 0) return false;
      if (state.runOnly && !isRun(r)) return false;
      return true;
    });
    if (state.sortKey) {
      var col = columns().filter(function (c) { return c.key === state.sortKey; })[0];
      if (col) {
        var decorated = rows.map(function (r, i) { return { r: r, i: i, v: col.value(r) }; });
        decorated.sort(function (a, b) {
          // Missing values sort last whichever the direction; ties keep the grid's order.
          if (a.v == null && b.v == null) return a.i - b.i;
          if (a.v == null) return 1;
          if (b.v == null) return -1;
          var c = typeof a.v === 'number' ? a.v - b.v : String(a.v).localeCompare(String(b.v));
          return c !== 0 ? state.sortDir * c : a.i - b.i;
        });
        rows = decorated.map(function (d) { return d.r; });
      }
    }
    return rows;
  }

  var table = document.getElementById('results');
  function drawTable(rows) {
    var cols = columns();
    var thead = table.tHead || table.createTHead();
    thead.textContent = '';
    if (cols.some(function (c) { return c.group; })) {
      // A first header row naming each group of columns (side-by-side view).
      var gr = thead.insertRow(); gr.className = 'groups';
      cols.forEach(function (c, i) {
        if (i > 0 && (cols[i - 1].group || null) === (c.group || null) && c.group) return;
        var th = document.createElement('th');
        th.textContent = c.group || '';
        var span = 1;
        while (c.group && i + span < cols.length && cols[i + span].group === c.group) span++;
        th.colSpan = span;
        if (c.group) th.className = 'group';
        gr.appendChild(th);
      });
    }
    var hr = thead.insertRow();
    cols.forEach(function (c) {
      var th = document.createElement('th');
      th.dataset.key = c.key;
      th.scope = 'col';
      if (c.numeric) th.className = 'num';
      var b = document.createElement('button');
      b.type = 'button';
      b.textContent = c.label;
      b.addEventListener('click', function () {
        if (state.sortKey === c.key) state.sortDir = -state.sortDir;
        else { state.sortKey = c.key; state.sortDir = c.numeric ? -1 : 1; }
        update();
      });
      th.appendChild(b);
      th.setAttribute('aria-sort', state.sortKey === c.key ? (state.sortDir > 0 ? 'ascending' : 'descending') : 'none');
      hr.appendChild(th);
    });
    var tbody = table.tBodies[0] || table.createTBody();
    tbody.textContent = '';
    var previous = null;
    rows.forEach(function (r) {
      var tr = tbody.insertRow();
      tr.dataset.classifier = r.classifier;
      tr.dataset.params = r.paramsText;
      // A rule between classifier groups while rows are in the grid's order.
      if (!state.sortKey && previous !== null && previous !== r.classifier) tr.className = 'group-start';
      previous = r.classifier;
      cols.forEach(function (c) { c.render(tr.insertCell(), r); });
    });
    if (rows.length === 0) {
      var tr0 = tbody.insertRow(); var td0 = tr0.insertCell();
      td0.colSpan = cols.length; td0.className = 'empty'; td0.textContent = 'No configuration matches these filters.';
    }
    document.getElementById('row-count').textContent =
      'Showing ' + rows.length + ' of ' + data.rows.length + ' configurations';
  }

  function drawCharts(rows) {
    var pairs = rows.map(function (r) {
      return { classifier: r.classifier, paramsText: r.paramsText, fashion: r.fashion.mean, mnist: r.mnist.mean,
        paperFashion: r.fashion.paper, paperMnist: r.mnist.paper };
    });
    var datasets = state.view === 'both' ? ['fashion', 'mnist'] : [state.view];
    var times = [];
    rows.forEach(function (r) {
      datasets.forEach(function (ds) {
        var c = r[ds];
        if (c.mean != null) times.push({ classifier: r.classifier, paramsText: r.paramsText, dataset: ds,
          accuracy: c.mean, paper: c.paper, secondsPerRepeat: c.secondsPerRepeat });
      });
    });
    var both = pairs.filter(function (p) { return p.fashion != null && p.mnist != null; }).length;
    document.getElementById('scatter-note').textContent = both === 0
      ? 'No configuration shown has been run on both datasets yet: only the paper\u2019s values (grey crosses) are drawn.'
      : both + ' configuration' + (both === 1 ? '' : 's') + ' run on both datasets (dots), joined to the paper\u2019s value (grey crosses).';
    document.getElementById('time-note').textContent = times.length === 0
      ? 'Nothing shown has been run on ' + datasets.map(function (d) { return NAMES[d]; }).join(' or ') + ' yet.'
      : times.length + ' result' + (times.length === 1 ? '' : 's') + ' on ' + datasets.map(function (d) { return NAMES[d]; }).join(' and ') + '; grey ticks mark the paper\u2019s accuracy.';
    var jobs = [
      draw('chart-scatter', data.specs.fashionVsMnist, pairs),
      draw('chart-time', data.specs.accuracyVsTime, times),
    ];
    return Promise.all(jobs);
  }
  function draw(id, template, values) {
    var el = document.getElementById(id);
    var spec = Object.assign({}, template, { datasets: { table: values } });
    el.dataset.rendered = 'pending';
    el.dataset.points = String(values.length);
    return window.fmnistDrawChart(el, spec).then(
      function () { el.dataset.rendered = 'done'; },
      function (err) { el.dataset.rendered = 'error'; el.textContent = 'Chart failed: ' + err.message; });
  }

  var drawn = 0;
  function update() {
    document.querySelectorAll('[data-view]').forEach(function (b) {
      b.setAttribute('aria-pressed', String(b.dataset.view === state.view));
    });
    var rows = visibleRows();
    drawTable(rows);
    var mine = ++drawn;
    document.body.dataset.ready = 'false';
    drawCharts(rows).then(function () { if (mine === drawn) document.body.dataset.ready = 'true'; });
  }

  // Controls.
  var select = document.getElementById('filter-classifier');
  data.classifiers.forEach(function (name) {
    var o = document.createElement('option'); o.value = name; o.textContent = name; select.appendChild(o);
  });
  select.addEventListener('change', function () { state.classifier = select.value; update(); });
  var text = document.getElementById('filter-text');
  text.addEventListener('input', function () { state.text = text.value; update(); });
  var runOnly = document.getElementById('filter-run-only');
  runOnly.addEventListener('change', function () { state.runOnly = runOnly.checked; update(); });
  document.querySelectorAll('[data-view]').forEach(function (b) {
    b.addEventListener('click', function () {
      state.view = b.dataset.view;
      // A sort on a column the new view lacks falls back to the grid's order.
      if (state.sortKey && !columns().some(function (c) { return c.key === state.sortKey; })) state.sortKey = null;
      update();
    });
  });
  update();
})();
`;
