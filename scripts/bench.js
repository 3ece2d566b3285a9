#!/usr/bin/env node
// Synth benchmark: EksAccessRole (app a, scripts/bench-app-construct.js) against the same resources written by hand
// with aws-cdk-lib only (app b, scripts/bench-app-handwritten.js). Run with `npx projen bench [options]`.
//
// Each measurement is a separate `node` process that builds and synthesizes one app, so module loading is measured
// the way a user meets it. a and b alternate (a b, then b a) within every run, and every run goes once through all
// sizes and both validation modes, so drift in the machine's load spreads evenly. Before timing, each pair is
// synthesized once (not timed) and the two templates are compared byte for byte: the benchmark only means something
// if both apps produce the same template.
//
// Options:
//   --runs <n>          timed runs per app, size and mode (default 7)
//   --sizes <list>      binding counts (default 1,10,100,1000)
//   --modes <list>      validation modes, on and/or off (default on,off)
//   --ref <git ref>     compile src/ as committed at this ref (for example HEAD) instead of the working tree
//   --lib <dir>         use this compiled library instead of compiling src/ (for example lib/ after `npx projen compile`)
//   --profile           instead of timing, CPU-profile (node --cpu-prof) each app at N = 10 and 1,000 in each mode,
//                       3 runs unless --runs is given, and summarize where the time goes
//   --compare-lib <dir> also time app a with this compiled library (a2), interleaved with a and b, to measure a change
//                       to src/ (compile a copy of the project with tsc); prints a comparison and writes nothing
//   --node-args <args>  extra node flags for every app process, space-separated (for example --liftoff-only)
//   --allow-diff        time the apps even when their templates differ (the table says so)
//   --no-write          print the results without writing docs/benchmarks.md
'use strict';
const { spawn, execFileSync } = require('child_process');
const fs = require('fs');
const os = require('os');
const path = require('path');

const ROOT = path.join(__dirname, '..');
const DOC = path.join(ROOT, 'docs', 'benchmarks.md');
const CACHE = path.join(ROOT, 'node_modules', '.cache', 'cdk-eks-access-role-bench');
const APPS = {
  a: path.join(__dirname, 'bench-app-construct.js'),
  b: path.join(__dirname, 'bench-app-handwritten.js'),
};
let libDir; // the compiled library being measured, for --profile
let nodeArgs = []; // --node-args
let compareLib; // --compare-lib

const TARGETS = {
  on: { 10: 1.10, 1000: 1.20 },
  off: { 10: 1.35 },
};

main().catch((err) => {
  process.stderr.write(`${err.stack ?? err}\n`);
  process.exit(1);
});

async function main() {
  const opts = parseArgs(process.argv.slice(2));
  const lib = opts.lib ? path.resolve(opts.lib) : compileLibrary(opts.ref);
  libDir = lib;
  nodeArgs = opts.nodeArgs;
  compareLib = opts.compareLib && path.resolve(opts.compareLib);
  const variants = compareLib ? ['a', 'a2', 'b'] : ['a', 'b'];
  const machine = describeMachine(opts);
  log(`library: ${path.relative(ROOT, lib)}; ${machine.cores} cores; load average ${machine.loadStart}`);

  if (opts.profile) {
    const section = await profile(lib, opts);
    finish(opts, 'profile', section);
    return;
  }

  // Warm-up pair per size and mode (not timed): fills the file cache and checks that both templates are the same.
  const same = {};
  const shapes = {};
  for (const mode of opts.modes) {
    for (const n of opts.sizes) {
      const a = await runApp('a', n, mode, lib, { keepTemplate: true });
      const b = await runApp('b', n, mode, lib, { keepTemplate: true });
      const a2 = compareLib && await runApp('a2', n, mode, lib, { keepTemplate: true });
      same[`${mode}/${n}`] = a.template === b.template && (!a2 || a2.template === b.template);
      shapes[n] = templateShape(a.template);
      if (!same[`${mode}/${n}`]) {
        const message = `templates differ at N=${n}, validation ${mode}: ${templateDiff(a.template, b.template)}${a2 ? ` (a2: ${templateDiff(a2.template, b.template)})` : ''}`;
        if (!opts.allowDiff) {
          throw new Error(`${message}\nUpdate scripts/bench-app-handwritten.js to match what the construct emits, or pass --allow-diff.`);
        }
        log(`WARNING ${message}`);
      }
    }
  }

  const samples = {};
  for (let run = 0; run < opts.runs; run++) {
    for (const mode of opts.modes) {
      for (const n of opts.sizes) {
        for (const variant of run % 2 === 0 ? variants : [...variants].reverse()) {
          const result = await runApp(variant, n, mode, lib);
          (samples[`${variant}/${mode}/${n}`] ??= []).push(result);
          log(`run ${run + 1}/${opts.runs} ${variant} validation=${mode} N=${n}: ${ms(result.wallMs)} ms, ${mb(result.maxRssKb)} MiB`);
        }
      }
    }
  }

  machine.loadEnd = loadAverage();
  if (compareLib) {
    process.stdout.write(`\n${renderComparison(opts, machine, samples, same)}\n`);
    return;
  }
  finish(opts, 'results', renderResults(opts, machine, samples, same, shapes));
}

/**
 * Compiles src/ with tsc into a cache folder: a snapshot that concurrent edits or `projen compile` cannot change.
 * With a git ref, the sources are taken from that commit, so uncommitted work of others is not measured.
 */
function compileLibrary(ref) {
  const outDir = path.join(CACHE, 'lib');
  let project = ROOT;
  fs.rmSync(outDir, { recursive: true, force: true });
  if (ref) {
    project = path.join(CACHE, 'source');
    fs.rmSync(project, { recursive: true, force: true });
    fs.mkdirSync(project, { recursive: true });
    const archive = execFileSync('git', ['archive', '--format=tar', ref, 'src', 'tsconfig.json'], { cwd: ROOT, maxBuffer: 1 << 28 });
    execFileSync('tar', ['-x', '-C', project], { input: archive });
  }
  log(`compiling ${ref ? `src/ at ${ref}` : 'src/ (working tree)'} into ${path.relative(ROOT, outDir)} (tsc, not timed)`);
  execFileSync(process.execPath, [
    require.resolve('typescript/bin/tsc'), '-p', path.join(project, 'tsconfig.json'), '--outDir', outDir,
    '--declaration', 'false', '--inlineSourceMap', 'false', '--inlineSources', 'false',
  ], { cwd: project, stdio: 'inherit' });
  return outDir;
}

/** Runs one app in a fresh process and returns its wall time, peak RSS and in-process phase timings. */
function runApp(variant, n, mode, lib, options = {}) {
  const outdir = fs.mkdtempSync(path.join(os.tmpdir(), 'cdk-eks-access-role-bench-'));
  const env = { ...process.env, BENCH_N: String(n), BENCH_OUTDIR: outdir, BENCH_LIB: variant === 'a2' ? compareLib : lib, CDK_VALIDATION: mode === 'on' ? 'true' : 'false' };
  for (const name of ['CDK_OUTDIR', 'CDK_CONTEXT_JSON', 'CDK_CONTEXT_OVERFLOW_LOCATION', 'NODE_OPTIONS']) {
    delete env[name];
  }
  const args = [...nodeArgs, ...(options.nodeArgs ?? []), APPS[variant === 'a2' ? 'a' : variant]];
  return new Promise((resolve, reject) => {
    const started = process.hrtime.bigint();
    const child = spawn(process.execPath, args, { env, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => (stdout += d));
    child.stderr.on('data', (d) => (stderr += d));
    child.on('error', reject);
    child.on('close', (code) => {
      const wallMs = Number(process.hrtime.bigint() - started) / 1e6;
      try {
        if (code !== 0) {
          throw new Error(`app ${variant} (N=${n}, validation ${mode}) exited with ${code}:\n${stderr}${stdout}`);
        }
        const phases = JSON.parse(stdout.match(/^BENCH_RESULT (.*)$/m)[1]);
        const exit = JSON.parse(stdout.match(/^BENCH_EXIT (.*)$/m)[1]);
        const template = options.keepTemplate ? fs.readFileSync(path.join(outdir, 'Bench.template.json'), 'utf8') : undefined;
        resolve({ wallMs, ...phases, afterSynthMs: exit.exitMs - phases.bootMs - phases.loadMs - phases.constructMs - phases.synthMs,
          cpuMs: exit.cpuMs, maxRssKb: exit.maxRssKb, template });
      } catch (err) {
        reject(err);
      } finally {
        fs.rmSync(outdir, { recursive: true, force: true });
      }
    });
  });
}

function templateDiff(a, b) {
  const ra = JSON.parse(a).Resources ?? {};
  const rb = JSON.parse(b).Resources ?? {};
  const ids = [...new Set([...Object.keys(ra), ...Object.keys(rb)])];
  const differing = ids.filter((id) => JSON.stringify(ra[id]) !== JSON.stringify(rb[id]));
  return differing.length > 0 ? `resources ${differing.slice(0, 5).join(', ')}${differing.length > 5 ? ', ...' : ''}` : 'outside Resources';
}

/** Size figures of app a's template, as written to the cloud assembly. */
function templateShape(text) {
  const resources = Object.values(JSON.parse(text).Resources ?? {});
  const manifests = resources.filter((r) => r.Type === 'Custom::AWSCDK-EKS-KubernetesResource');
  return {
    bytes: Buffer.byteLength(text),
    resources: resources.length,
    manifests: manifests.length,
    largestManifest: Math.max(0, ...manifests.map((r) => Buffer.byteLength(JSON.stringify(r.Properties)))),
    accessEntries: resources.filter((r) => r.Type === 'AWS::EKS::AccessEntry').length,
  };
}

/** --compare-lib: the library under test (a) against a changed copy (a2) and the hand-written app (b). */
function renderComparison(opts, machine, samples, same) {
  const lines = [];
  lines.push(`Measured ${machine.date} with \`${machine.command}\`: ${opts.runs} runs per cell, a, a2 and b interleaved;`);
  lines.push(`${machine.cores} cores, load average ${machine.loadStart} at the start and ${machine.loadEnd} at the end.`);
  lines.push(`a: commit ${machine.commit}${machine.dirty ? ' with uncommitted changes in src/' : ''}; a2: ${compareLib}. ` +
    `Templates identical to b's at every size: ${Object.values(same).every(Boolean) ? 'yes' : 'no'}.`);
  lines.push('');
  lines.push('| validation | N | a | a2 | b | a2 − a | a/b | a2/b | a CPU | a2 CPU | b CPU |');
  lines.push('|:---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|');
  for (const mode of opts.modes) {
    for (const n of opts.sizes) {
      const [wa, wa2, wb] = ['a', 'a2', 'b'].map((v) => median(samples[`${v}/${mode}/${n}`].map((r) => r.wallMs)));
      const [ca, ca2, cb] = ['a', 'a2', 'b'].map((v) => median(samples[`${v}/${mode}/${n}`].map((r) => r.cpuMs)));
      lines.push(`| ${mode} | ${n} | ${ms(wa)} ms | ${ms(wa2)} ms | ${ms(wb)} ms | ${ms(wa2 - wa)} ms | ${(wa / wb).toFixed(2)} | ${(wa2 / wb).toFixed(2)} | ` +
        `${ms(ca)} ms | ${ms(ca2)} ms | ${ms(cb)} ms |`);
    }
  }
  return lines.join('\n');
}

function renderResults(opts, machine, samples, same, shapes) {
  const lines = [];
  lines.push(`Measured ${machine.date} with \`${machine.command}\`: ${opts.runs} timed runs per cell (plus one untimed warm-up pair), a and b alternating.`);
  lines.push('');
  lines.push(`Machine: ${machine.cores} cores (${machine.cpu}), Node ${process.version}, ${machine.os}; aws-cdk-lib ${machine.versions['aws-cdk-lib']}, ` +
    `cdk8s ${machine.versions.cdk8s}, cdk8s-plus-27 ${machine.versions['cdk8s-plus-27']}. Load average (1, 5, 15 min) ${machine.loadStart} at the ` +
    `start and ${machine.loadEnd} at the end: the CPU was ${loadIsHigh(machine) ? 'shared with other work, so absolute times are inflated; the ratios come from back-to-back pairs' : 'mostly idle'}.`);
  lines.push(`Code measured: commit ${machine.commit}${machine.dirty ? ' with uncommitted changes in src/' : ''}, compiled to JavaScript before timing.`);
  lines.push('');
  lines.push('Wall time is from spawning `node` to its exit, median of the runs; "paired" is the median of the per-run ratios of');
  lines.push('back-to-back a and b processes, which cancels most load drift. "a/b CPU" compares the median CPU time (user + system,');
  lines.push('all threads) of each process, which waiting for a shared CPU does not inflate. Peak memory is the process\'s maximum');
  lines.push('resident set size at exit (`process.resourceUsage().maxRSS`), median of the runs. Both templates were byte-for-byte identical');
  lines.push(`at every size: ${Object.values(same).every(Boolean) ? 'yes' : `no (${Object.entries(same).filter(([, v]) => !v).map(([k]) => k).join(', ')})`}.`);

  for (const mode of opts.modes) {
    lines.push('');
    lines.push(`### Validation ${mode}${mode === 'on' ? ' (aws-cdk-lib default)' : ' (`CDK_VALIDATION=false`)'}`);
    lines.push('');
    lines.push('| N | a: EksAccessRole | b: hand-written | a/b | a/b paired | a/b CPU | a peak memory | b peak memory | a/b memory |');
    lines.push('|---:|---:|---:|---:|---:|---:|---:|---:|---:|');
    for (const n of opts.sizes) {
      const a = samples[`a/${mode}/${n}`];
      const b = samples[`b/${mode}/${n}`];
      const wa = median(a.map((r) => r.wallMs));
      const wb = median(b.map((r) => r.wallMs));
      const paired = median(a.map((r, i) => r.wallMs / b[i].wallMs));
      const cpu = median(a.map((r) => r.cpuMs)) / median(b.map((r) => r.cpuMs));
      const ma = median(a.map((r) => r.maxRssKb));
      const mbb = median(b.map((r) => r.maxRssKb));
      lines.push(`| ${n} | ${ms(wa)} ms | ${ms(wb)} ms | ${(wa / wb).toFixed(2)} | ${paired.toFixed(2)} | ${cpu.toFixed(2)} | ${mb(ma)} MiB | ${mb(mbb)} MiB | ${(ma / mbb).toFixed(2)} |`);
    }
    lines.push('');
    lines.push('Where the time goes, medians in ms measured inside each process (`performance.now()`): node start-up, loading the');
    lines.push('app\'s modules, building the construct tree, `app.synth()`, and from the end of synthesis to the `exit` event.');
    lines.push('');
    lines.push('| N | app | start-up | load | construct | synth | after synth |');
    lines.push('|---:|:---|---:|---:|---:|---:|---:|');
    for (const n of opts.sizes) {
      for (const variant of ['a', 'b']) {
        const rs = samples[`${variant}/${mode}/${n}`];
        const cols = ['bootMs', 'loadMs', 'constructMs', 'synthMs', 'afterSynthMs'].map((k) => ms(median(rs.map((r) => r[k]))));
        lines.push(`| ${n} | ${variant} | ${cols.join(' | ')} |`);
      }
    }
  }

  lines.push('');
  lines.push('### Template size');
  lines.push('');
  lines.push('The template of app a (the same as b\'s), as written to the cloud assembly. Limits: 1 MB for a template uploaded');
  lines.push('through S3, 500 resources, and each manifest resource\'s properties far below Lambda\'s 256 KB event.');
  lines.push('');
  lines.push('| N | template bytes | resources | manifest resources | largest manifest properties | access entries |');
  lines.push('|---:|---:|---:|---:|---:|---:|');
  for (const n of opts.sizes) {
    const t = shapes[n];
    lines.push(`| ${n} | ${t.bytes.toLocaleString('en-US')} | ${t.resources} | ${t.manifests} | ${t.largestManifest.toLocaleString('en-US')} bytes | ${t.accessEntries} |`);
  }

  lines.push('');
  lines.push('### Targets');
  lines.push('');
  lines.push('| target | measured | met |');
  lines.push('|:---|---:|:---:|');
  for (const mode of opts.modes) {
    for (const [n, limit] of Object.entries(TARGETS[mode] ?? {})) {
      const a = samples[`a/${mode}/${n}`];
      const b = samples[`b/${mode}/${n}`];
      if (!a || !b) continue;
      const ratio = median(a.map((r) => r.wallMs)) / median(b.map((r) => r.wallMs));
      const paired = median(a.map((r, i) => r.wallMs / b[i].wallMs));
      lines.push(`| validation ${mode}, N = ${Number(n).toLocaleString('en-US')}: a/b ≤ ${limit.toFixed(2)} | ${ratio.toFixed(2)} (paired ${paired.toFixed(2)}) | ${ratio <= limit ? 'yes' : 'no'} |`);
    }
    const a10 = samples[`a/${mode}/10`];
    const a1000 = samples[`a/${mode}/1000`];
    if (a10 && a1000) {
      const growth = median(a1000.map((r) => r.wallMs)) / median(a10.map((r) => r.wallMs));
      lines.push(`| validation ${mode}: a at N = 1,000 < 2 × a at N = 10 | ${growth.toFixed(2)} × | ${growth < 2 ? 'yes' : 'no'} |`);
    }
  }
  return lines.join('\n');
}

// ---------------------------------------------------------------------------------------------------------------------
// --profile: one CPU profile per app, size and mode, summarized by where each sample's time is spent.

/**
 * Each sample is charged to the first bucket whose test matches a frame of its stack (leaf to root, any frame), in
 * this order: so time inside cdk8s called from our code counts as cdk8s, and module loading counts as loading
 * whatever code runs during it.
 */
const BUCKETS = [
  ['CloudFormation validation (incl. loading it)', (f) => /@aws\/cloudformation-validate|aws-cdk-lib\/core\/lib\/validation\/|synthesis-validation\.js|^wasm:\/\//.test(f.url)],
  ['module loading (require)', (f) => f.functionName === 'Module.require' && f.url.startsWith('node:internal/modules')],
  ['cdk8s + cdk8s-plus-27', (f) => /node_modules\/cdk8s(-plus-27)?\//.test(f.url)],
  ['cdk-eks-access-role (own code and the aws-cdk-lib calls it makes)', (f) => libDir !== undefined && f.url.startsWith(`file://${libDir}/`)],
  ['aws-cdk-lib, constructs (the rest)', (f) => /node_modules\/(aws-cdk-lib|constructs)\//.test(f.url)],
  ['garbage collection', (f) => f.functionName === '(garbage collector)'],
  ['idle (main thread waiting)', (f) => f.functionName === '(idle)'],
  ['node internals, program', () => true],
];

async function profile(lib, opts) {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'cdk-eks-access-role-prof-'));
  const sizes = opts.sizes.filter((n) => n === 10 || n === 1000);
  const runs = opts.runsGiven ? opts.runs : 3;
  const cells = [];
  for (const mode of opts.modes) {
    for (const n of sizes.length > 0 ? sizes : opts.sizes) {
      for (const variant of ['a', 'b']) {
        cells.push({ variant, mode, n, label: `${variant}, ${mode}, N=${n}`, walls: [], summaries: [] });
      }
    }
  }
  // Runs go round all cells, a and b alternating, like the timed runs.
  for (let run = 0; run < runs; run++) {
    for (const cell of cells) {
      const profDir = path.join(dir, `${cell.variant}-${cell.mode}-${cell.n}-${run}`);
      const result = await runApp(cell.variant, cell.n, cell.mode, lib, { nodeArgs: ['--cpu-prof', `--cpu-prof-dir=${profDir}`] });
      const file = fs.readdirSync(profDir).find((f) => f.endsWith('.cpuprofile'));
      const summary = summarizeProfile(JSON.parse(fs.readFileSync(path.join(profDir, file), 'utf8')));
      fs.rmSync(profDir, { recursive: true, force: true });
      cell.walls.push(result.wallMs);
      cell.summaries.push(summary);
      log(`profile ${run + 1}/${runs} ${cell.variant} validation=${cell.mode} N=${cell.n}: ${ms(result.wallMs)} ms wall, ${ms(summary.totalMs)} ms profiled`);
    }
  }
  fs.rmSync(dir, { recursive: true, force: true });

  const machine = describeMachine(opts);
  const lines = [];
  lines.push(`Profiled ${machine.date} with \`${machine.command}\`: ${runs} runs per column under \`node --cpu-prof\`, medians;`);
  lines.push(`${machine.cores} cores, load average ${machine.loadStart}; code: commit ${machine.commit}${machine.dirty ? ' with uncommitted changes in src/' : ''}.`);
  lines.push('Each sample is charged to the first of these buckets that any frame of its stack belongs to, top to bottom; ms of');
  lines.push('profiled time (the profile starts after node\'s own start-up).');
  lines.push('');
  lines.push(`| bucket | ${cells.map((c) => c.label).join(' | ')} |`);
  lines.push(`|:---|${cells.map(() => '---:').join('|')}|`);
  for (const [name] of BUCKETS) {
    lines.push(`| ${name} | ${cells.map((c) => ms(median(c.summaries.map((x) => x.buckets[name] ?? 0)))).join(' | ')} |`);
  }
  lines.push(`| **profiled total** | ${cells.map((c) => ms(median(c.summaries.map((x) => x.totalMs)))).join(' | ')} |`);
  lines.push(`| wall time of the profiled runs | ${cells.map((c) => ms(median(c.walls))).join(' | ')} |`);
  for (const cell of cells.filter((c) => c.variant === 'a' && c.n === 1000)) {
    lines.push('');
    lines.push(`Top functions by self time, app a, validation ${cell.mode}, N = 1,000 (mean of the runs):`);
    lines.push('');
    lines.push('| self ms | function | file |');
    lines.push('|---:|:---|:---|');
    for (const t of meanTop(cell.summaries.map((x) => x.self))) {
      lines.push(`| ${ms(t.ms)} | \`${t.functionName || '(anonymous)'}\` | ${t.file} |`);
    }
    lines.push('');
    lines.push(`The library's own functions by inclusive time (with everything they call), app a, validation ${cell.mode}, N = 1,000 (mean of the runs):`);
    lines.push('');
    lines.push('| inclusive ms | function | file |');
    lines.push('|---:|:---|:---|');
    for (const t of meanTop(cell.summaries.map((x) => x.own))) {
      lines.push(`| ${ms(t.ms)} | \`${t.functionName || '(anonymous)'}\` | ${t.file} |`);
    }
  }
  return lines.join('\n');
}

/** The 12 largest entries of the mean of several `function\0file:line -> ms` maps. */
function meanTop(maps) {
  const sum = new Map();
  for (const m of maps) {
    for (const [key, v] of m) sum.set(key, (sum.get(key) ?? 0) + v / maps.length);
  }
  return [...sum.entries()].sort((x, y) => y[1] - x[1]).slice(0, 12).map(([key, v]) => {
    const [functionName, file] = key.split('\u0000');
    return { functionName, file, ms: v };
  });
}

function summarizeProfile(prof) {
  const byId = new Map(prof.nodes.map((node) => [node.id, node]));
  const parent = new Map();
  for (const node of prof.nodes) {
    for (const child of node.children ?? []) parent.set(child, node.id);
  }
  const stackOf = (id) => {
    const stack = [];
    for (let cur = id; cur !== undefined; cur = parent.get(cur)) stack.push(byId.get(cur).callFrame);
    return stack;
  };
  const keyOf = (f) => `${f.functionName}\u0000${shortFile(f.url)}:${f.lineNumber + 1}`;
  const perNode = new Map();
  const infoOf = (id) => {
    if (!perNode.has(id)) {
      const stack = stackOf(id);
      perNode.set(id, {
        bucket: BUCKETS.find(([, test]) => stack.some(test))[0],
        self: keyOf(stack[0]),
        own: new Set(stack.filter((f) => libDir !== undefined && f.url.startsWith(`file://${libDir}/`)).map(keyOf)),
      });
    }
    return perNode.get(id);
  };
  const buckets = {};
  const self = new Map();
  const own = new Map(); // inclusive time of the library's own functions: once per sample for each on the stack
  let totalMs = 0;
  for (let i = 0; i < prof.samples.length; i++) {
    // timeDeltas[i] is the time since the previous sample: charge it to the sample it leads up to.
    const dt = (prof.timeDeltas[i] ?? 0) / 1000;
    const info = infoOf(prof.samples[i]);
    totalMs += dt;
    buckets[info.bucket] = (buckets[info.bucket] ?? 0) + dt;
    self.set(info.self, (self.get(info.self) ?? 0) + dt);
    for (const key of info.own) own.set(key, (own.get(key) ?? 0) + dt);
  }
  return { buckets, totalMs, self, own };
}

function shortFile(url) {
  if (!url) return '(native)';
  const m = url.match(/node_modules\/(?:\.cache\/)?(.*)$/);
  return m ? m[1] : url.replace(/^file:\/\//, '').replace(ROOT + '/', '');
}

// ---------------------------------------------------------------------------------------------------------------------

function finish(opts, section, body) {
  process.stdout.write(`\n${body}\n`);
  if (!opts.write) {
    return;
  }
  const begin = `<!-- bench:${section}:begin -->`;
  const end = `<!-- bench:${section}:end -->`;
  let doc = fs.existsSync(DOC) ? fs.readFileSync(DOC, 'utf8') : '';
  if (!doc.includes(begin)) {
    doc += `${doc ? '\n' : '# Synth benchmark\n\n'}${begin}\n${end}\n`;
  }
  const start = doc.indexOf(begin) + begin.length;
  doc = `${doc.slice(0, start)}\n<!-- Written by scripts/bench.js; edit outside these markers. -->\n${body}\n${doc.slice(doc.indexOf(end))}`;
  fs.mkdirSync(path.dirname(DOC), { recursive: true });
  fs.writeFileSync(DOC, doc);
  log(`wrote the ${section} to ${path.relative(ROOT, DOC)}`);
}

function describeMachine(opts) {
  const versions = {};
  for (const pkg of ['aws-cdk-lib', 'cdk8s', 'cdk8s-plus-27']) {
    versions[pkg] = require(path.join(ROOT, 'node_modules', pkg, 'package.json')).version;
  }
  const git = (...args) => execFileSync('git', args, { cwd: ROOT, encoding: 'utf8' }).trim();
  return {
    cores: os.cpus().length,
    cpu: os.cpus()[0]?.model.trim() ?? 'unknown CPU',
    os: `${os.type()} ${os.release()}`,
    date: new Date().toISOString().slice(0, 16).replace('T', ' ') + ' UTC',
    command: `npx projen bench${process.argv.length > 2 ? ` ${process.argv.slice(2).join(' ')}` : ''}`,
    versions,
    commit: opts.lib ? `${git('rev-parse', '--short', 'HEAD')} (library from ${opts.lib})` : git('rev-parse', '--short', opts.ref ?? 'HEAD'),
    dirty: !opts.lib && !opts.ref && git('status', '--porcelain', '--', 'src').length > 0,
    loadStart: loadAverage(),
  };
}

function loadAverage() {
  return os.loadavg().map((l) => l.toFixed(2)).join(', ');
}

function loadIsHigh(machine) {
  return [machine.loadStart, machine.loadEnd].some((l) => Number(l.split(',')[0]) > 0.5);
}

function parseArgs(argv) {
  const opts = { runs: 7, sizes: [1, 10, 100, 1000], modes: ['on', 'off'], lib: undefined, ref: undefined, profile: false, allowDiff: false, write: true, nodeArgs: [] };
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    const value = () => {
      if (i + 1 >= argv.length) throw new Error(`${arg} needs a value`);
      return argv[++i];
    };
    if (arg === '--runs') {
      opts.runs = positive(arg, value());
      opts.runsGiven = true;
    }
    else if (arg === '--sizes') opts.sizes = value().split(',').map((s) => positive(arg, s));
    else if (arg === '--modes') opts.modes = value().split(',').map((m) => oneOf(arg, m, ['on', 'off']));
    else if (arg === '--lib') opts.lib = value();
    else if (arg === '--ref') opts.ref = value();
    else if (arg === '--compare-lib') opts.compareLib = value();
    else if (arg === '--profile') opts.profile = true;
    else if (arg === '--node-args') opts.nodeArgs = value().split(/\s+/).filter(Boolean);
    else if (arg === '--allow-diff') opts.allowDiff = true;
    else if (arg === '--no-write') opts.write = false;
    else throw new Error(`unknown option ${arg}; see the comment at the top of scripts/bench.js`);
  }
  return opts;
}

function positive(arg, s) {
  const n = Number(s);
  if (!Number.isInteger(n) || n < 1) throw new Error(`${arg} takes positive integers, got ${JSON.stringify(s)}`);
  return n;
}

function oneOf(arg, s, allowed) {
  if (!allowed.includes(s)) throw new Error(`${arg} takes ${allowed.join(' or ')}, got ${JSON.stringify(s)}`);
  return s;
}

function median(xs) {
  const s = [...xs].sort((x, y) => x - y);
  const mid = Math.floor(s.length / 2);
  return s.length % 2 ? s[mid] : (s[mid - 1] + s[mid]) / 2;
}

function ms(x) {
  return Math.round(x).toLocaleString('en-US');
}

function mb(kb) {
  return Math.round(kb / 1024).toLocaleString('en-US');
}

function log(message) {
  process.stderr.write(`[bench] ${message}\n`);
}
