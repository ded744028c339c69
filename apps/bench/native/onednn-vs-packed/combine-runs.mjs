// Combines the --json outputs of several runs of onednn_vs_packed (taken at different times on a
// shared machine) into markdown: per layer, the median over runs of each run's median.
//
//   node apps/bench/native/onednn-vs-packed/combine-runs.mjs run1.json run2.json run3.json > combined.md
//   node apps/bench/native/onednn-vs-packed/combine-runs.mjs a.json b.json --2t ours1.json onednn1.json ... > combined.md
//
// Files after --2t feed only the 2-thread columns (runs with --only ours / --only onednn, one
// library per process); files before it feed the 1-thread columns (and the 2-thread ones when
// there is no --2t). A value a run did not time (null) is left out of the median.
import { readFileSync } from 'node:fs';

const args = process.argv.slice(2);
const split = args.indexOf('--2t');
const loaded = new Map();  // a file named in both lists is one run
const load = (f) => {
  if (!loaded.has(f)) loaded.set(f, { ...JSON.parse(readFileSync(f, 'utf8')), file: f });
  return loaded.get(f);
};
const runs1 = (split < 0 ? args : args.slice(0, split)).map(load);
const runs2 = split < 0 ? runs1 : args.slice(split + 1).map(load);
const runs = [...new Set([...runs1, ...runs2])];
if (runs1.length === 0 || runs2.length === 0) {
  console.error('usage: combine-runs.mjs results.json... [--2t results.json...]');
  process.exit(2);
}
// The runs that feed the column of thread index t (0: 1 thread, 1: 2 threads).
const feeds = (r, t) => (t === 0 ? runs1 : runs2).includes(r);

const median = (xs) => {
  const v = xs.filter((x) => x !== null && Number.isFinite(x)).sort((a, b) => a - b);
  if (v.length === 0) return NaN;
  const h = v.length >> 1;
  return v.length % 2 ? v[h] : (v[h - 1] + v[h]) / 2;
};
const fmt = (v) => {
  if (!Number.isFinite(v)) return '-';
  if (v >= 100) return v.toFixed(0);
  if (v >= 10) return v.toFixed(1);
  if (v >= 1) return v.toFixed(2);
  return v.toPrecision(2);
};
const ratio = (a, b) => (Number.isFinite(a / b) ? (a / b).toFixed(2) : '-');
const bold = (s) => `**${s}**`;

const out = [];
out.push(
  `Runs combined: ${runs1.length} for 1 thread, ${runs2.length} for 2 threads${split < 0 ? ' (the same)' : ''}; oneDNN ${runs[0].onednn} (${runs[0].isa}), CPU ${runs[0].cpu}.`,
);
out.push('');

// Per model (matched by id and input size; a run may hold a subset of the models, as with --models).
const keyOf = (m) => `${m.model} ${m.input[0]}x${m.input[1]}`;
const allModels = [];
for (const r of runs) for (const m of r.models) if (!allModels.some((x) => keyOf(x) === keyOf(m))) allModels.push(m);
const families = new Map();
const modelTotals = [];
for (const m0 of allModels) {
  const name = keyOf(m0);
  const havingRuns = runs.filter((r) => r.models.some((m) => keyOf(m) === name));
  const having = havingRuns.map((r) => r.models.find((m) => keyOf(m) === name));
  out.push(`#### ${name}`);
  out.push('');
  out.push('| layer | n | MMAC | ours 1t ms | oneDNN 1t ms | ours/oneDNN 1t | ours 2t ms | oneDNN 2t ms | ours/oneDNN 2t | oneDNN impl |');
  out.push('| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |');
  const tot = { ours: [0, 0], dnnl: [0, 0], best: [0, 0], macs: 0, nodes: 0 };
  const perRun = having.map(() => ({ ours: [0, 0], dnnl: [0, 0] }));
  m0.layers.forEach((l0, li) => {
    const rows = having.map((m) => m.layers[li]);
    const rowsFor = (t) => rows.filter((_, ri) => feeds(havingRuns[ri], t));
    const ours = [0, 1].map((t) => median(rowsFor(t).map((r) => r.oursMs[t])));
    const dnnl = [0, 1].map((t) => median(rowsFor(t).map((r) => r.onednnMs[t])));
    const impl = rows.map((r) => r.onednnImpl).find((x) => x) ?? '';
    rows.forEach((r, ri) => {
      for (const t of [0, 1]) {
        perRun[ri].ours[t] += l0.count * (r.oursMs[t] ?? NaN);
        perRun[ri].dnnl[t] += l0.count * (r.onednnMs[t] ?? NaN);
      }
    });
    out.push(
      `| ${l0.layer} | ${l0.count} | ${fmt(l0.macs / 1e6)} | ${fmt(ours[0])} | ${fmt(dnnl[0])} | ${ratio(ours[0], dnnl[0])} | ${fmt(ours[1])} | ${fmt(dnnl[1])} | ${ratio(ours[1], dnnl[1])} | ${impl} |`,
    );
    const fam = families.get(l0.family) ?? { ours: [0, 0], dnnl: [0, 0], macs: 0, nodes: 0 };
    for (const acc of [tot, fam]) {
      for (const t of [0, 1]) {
        acc.ours[t] += l0.count * ours[t];
        acc.dnnl[t] += l0.count * dnnl[t];
        if (acc.best) acc.best[t] += l0.count * Math.min(ours[t], dnnl[t]);
      }
      acc.macs += l0.count * l0.macs;
      acc.nodes += l0.count;
    }
    families.set(l0.family, fam);
  });
  out.push(
    `| ${bold(`total (${tot.nodes} nodes)`)} | | ${fmt(tot.macs / 1e6)} | ${bold(fmt(tot.ours[0]))} | ${bold(fmt(tot.dnnl[0]))} | ${bold(ratio(tot.ours[0], tot.dnnl[0]))} | ${bold(fmt(tot.ours[1]))} | ${bold(fmt(tot.dnnl[1]))} | ${bold(ratio(tot.ours[1], tot.dnnl[1]))} | |`,
  );
  out.push('');
  const perRunText = (t) =>
    perRun
      .map((p, ri) => (feeds(havingRuns[ri], t) ? `${fmt(p.ours[t])} / ${fmt(p.dnnl[t])}` : null))
      .filter((x) => x !== null)
      .join(', ');
  out.push(
    `Per run (ours / oneDNN total, ms; - where a run timed one side only): 1 thread ${perRunText(0)}; 2 threads ${perRunText(1)}. ` +
      `Load average (1 min) at start / end of each run: ${having.map((m) => `${m.loadStart.split(' ')[0]} / ${m.loadEnd.split(' ')[0]}`).join(', ')}.`,
  );
  out.push('');
  modelTotals.push({ name, tot });
}

out.push('#### Model totals (sum over every node of the median time of its layer)');
out.push('');
out.push('| model | nodes | GMAC | ours 1t ms | oneDNN 1t ms | ours/oneDNN 1t | ours 2t ms | oneDNN 2t ms | ours/oneDNN 2t | best of both per layer 1t / 2t ms |');
out.push('| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |');
for (const { name, tot } of modelTotals) {
  out.push(
    `| ${name} | ${tot.nodes} | ${fmt(tot.macs / 1e9)} | ${fmt(tot.ours[0])} | ${fmt(tot.dnnl[0])} | ${bold(ratio(tot.ours[0], tot.dnnl[0]))} | ${fmt(tot.ours[1])} | ${fmt(tot.dnnl[1])} | ${bold(ratio(tot.ours[1], tot.dnnl[1]))} | ${fmt(tot.best[0])} / ${fmt(tot.best[1])} |`,
  );
}
out.push('');
out.push('#### By layer family (all models)');
out.push('');
out.push('| family | nodes | GMAC | ours 1t ms | oneDNN 1t ms | ours/oneDNN 1t | ours 2t ms | oneDNN 2t ms | ours/oneDNN 2t |');
out.push('| --- | --- | --- | --- | --- | --- | --- | --- | --- |');
for (const [fam, t] of [...families].sort()) {
  out.push(
    `| ${fam} | ${t.nodes} | ${fmt(t.macs / 1e9)} | ${fmt(t.ours[0])} | ${fmt(t.dnnl[0])} | ${ratio(t.ours[0], t.dnnl[0])} | ${fmt(t.ours[1])} | ${fmt(t.dnnl[1])} | ${ratio(t.ours[1], t.dnnl[1])} |`,
  );
}
out.push('');

// Delta GEMMs: per M, per (K, N).
const gemms = new Map();
for (const r of runs) {
  for (const g of r.deltaGemms) {
    const key = `${g.m} ${g.k} ${g.n}`;
    const e = gemms.get(key) ?? { m: g.m, k: g.k, n: g.n, rows: [] };
    e.rows.push({ ...g, run: r });
    gemms.set(key, e);
  }
}
const ms = [...new Set([...gemms.values()].map((g) => g.m))].sort((a, b) => a - b);
const summary = [];
for (const m of ms) {
  const list = [...gemms.values()].filter((g) => g.m === m);
  out.push(`#### Delta GEMMs, M = ${m} (µs)`);
  out.push('');
  out.push('| K x N | ours 1t | runtime-M 1t | per-M 1t | ours/runtime-M 1t | ours/per-M 1t | ours 2t | runtime-M 2t | per-M 2t | ours/runtime-M 2t | ours/per-M 2t |');
  out.push('| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |');
  const s = { ours: [0, 0], rt: [0, 0], fx: [0, 0], flops: 0, wins: [0, 0], n: list.length, logRt: [0, 0], cold: 0, cached: 0 };
  for (const g of list) {
    const v = (f, t) => median(g.rows.filter((r) => feeds(r.run, t)).map((r) => r[f][t])) * 1e3;
    const o = [v('oursMs', 0), v('oursMs', 1)], rt = [v('runtimeMMs', 0), v('runtimeMMs', 1)], fx = [v('fixedMMs', 0), v('fixedMMs', 1)];
    out.push(
      `| ${g.k} x ${g.n} | ${fmt(o[0])} | ${fmt(rt[0])} | ${fmt(fx[0])} | ${ratio(o[0], rt[0])} | ${ratio(o[0], fx[0])} | ${fmt(o[1])} | ${fmt(rt[1])} | ${fmt(fx[1])} | ${ratio(o[1], rt[1])} | ${ratio(o[1], fx[1])} |`,
    );
    for (const t of [0, 1]) {
      s.ours[t] += o[t];
      s.rt[t] += rt[t];
      s.fx[t] += fx[t];
      if (o[t] <= Math.min(rt[t], fx[t])) s.wins[t] += 1;
      s.logRt[t] += Math.log(o[t] / rt[t]);
    }
    s.flops += 2 * g.m * g.k * g.n;
    const created = g.rows.filter((r) => r.implRuntimeM);
    s.cold += median(created.map((r) => r.fixedCreateColdMs)) * 1e3;
    s.cached += median(created.map((r) => r.fixedCreateCachedMs)) * 1e3;
  }
  out.push(
    `| ${bold(`sum of ${s.n}`)} | ${bold(fmt(s.ours[0]))} | ${bold(fmt(s.rt[0]))} | ${bold(fmt(s.fx[0]))} | ${bold(ratio(s.ours[0], s.rt[0]))} | ${bold(ratio(s.ours[0], s.fx[0]))} | ${bold(fmt(s.ours[1]))} | ${bold(fmt(s.rt[1]))} | ${bold(fmt(s.fx[1]))} | ${bold(ratio(s.ours[1], s.rt[1]))} | ${bold(ratio(s.ours[1], s.fx[1]))} |`,
  );
  out.push('');
  summary.push({ m, s });
}
out.push('#### Delta GEMMs, summary');
out.push('');
out.push('| M | shapes | ours 1t ms | runtime-M 1t ms | per-M 1t ms | ours/runtime-M 1t (sum; geomean) | ours 2t ms | runtime-M 2t ms | per-M 2t ms | ours/runtime-M 2t (sum; geomean) | ours fastest (1t / 2t) | per-M primitive creation, first / cached µs |');
out.push('| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |');
for (const { m, s } of summary) {
  out.push(
    `| ${m} | ${s.n} | ${fmt(s.ours[0] / 1e3)} | ${fmt(s.rt[0] / 1e3)} | ${fmt(s.fx[0] / 1e3)} | ${ratio(s.ours[0], s.rt[0])}; ${Math.exp(s.logRt[0] / s.n).toFixed(2)} | ${fmt(s.ours[1] / 1e3)} | ${fmt(s.rt[1] / 1e3)} | ${fmt(s.fx[1] / 1e3)} | ${ratio(s.ours[1], s.rt[1])}; ${Math.exp(s.logRt[1] / s.n).toFixed(2)} | ${s.wins[0]} / ${s.wins[1]} of ${s.n} | ${fmt(s.cold / s.n)} / ${fmt(s.cached / s.n)} |`,
  );
}
out.push('');
process.stdout.write(out.join('\n'));
