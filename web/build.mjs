// Bundles web/src into web/dist: app.js (minified IIFE), app.css (our CSS + Leaflet's + uPlot's), index.html.
import * as esbuild from 'esbuild';
import fs from 'node:fs';
import path from 'node:path';
import zlib from 'node:zlib';
import { fileURLToPath } from 'node:url';

const root = path.dirname(fileURLToPath(import.meta.url));
const dist = path.join(root, 'dist');
fs.rmSync(dist, { recursive: true, force: true });
fs.mkdirSync(dist, { recursive: true });

const version = (pkg) => JSON.parse(fs.readFileSync(path.join(root, 'node_modules', pkg, 'package.json'), 'utf8')).version;
const banner = `/*! Leefbaar dashboard (EUPL-1.2). Bundles Leaflet ${version('leaflet')} (BSD-2-Clause, (c) 2010-2023 Vladimir Agafonkin, (c) 2010-2011 CloudMade) and uPlot ${version('uplot')} (MIT, (c) Leon Sorokin). */`;

await esbuild.build({
  banner: { js: banner, css: banner },
  entryPoints: { app: path.join(root, 'src/app.js') },
  bundle: true,
  minify: true,
  format: 'iife',
  target: 'es2020',
  outdir: dist,
  legalComments: 'eof',
  // Leaflet's CSS references marker/layer images we never use (no default markers, no layer control).
  external: ['*.png'],
  logLevel: 'warning',
});
for (const f of ['index.html', 'favicon.svg']) fs.copyFileSync(path.join(root, 'src', f), path.join(dist, f));

for (const f of fs.readdirSync(dist).sort()) {
  const buf = fs.readFileSync(path.join(dist, f));
  const gz = zlib.gzipSync(buf, { level: 9 }).length;
  console.log(`${f.padEnd(12)} ${String(buf.length).padStart(8)} B   gzip ${String(gz).padStart(7)} B`);
}
