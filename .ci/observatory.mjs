// Grade the smoke stack with the MDN HTTP Observatory's own scanner (npm @mdn/mdn-http-observatory),
// on loopback ports. Usage: node .ci/observatory.mjs PACKAGE_DIR HOST HTTP_PORT HTTPS_PORT
// (the package's scan() must pass its options on to retrieve(); .ci/production-smoke checks).
const [pkg, host, httpPort, httpsPort] = process.argv.slice(2);
const { scan } = await import(`${pkg}/src/scanner/index.js`);
const result = await scan(host, { httpPort: Number(httpPort), httpsPort: Number(httpsPort) });
for (const [name, test] of Object.entries(result.tests)) {
  console.log(`${test.pass ? "PASS" : "FAIL"}: observatory ${name}: ${test.result} (${test.scoreModifier})`);
}
const ok = result.scan.grade === "A+";
console.log(`${ok ? "PASS" : "FAIL"}: MDN HTTP Observatory grade ${result.scan.grade} (score ${result.scan.score})`);
process.exit(ok ? 0 : 1);
