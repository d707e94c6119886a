'use strict';
// Mocha reporter for scripts/test.mjs: the usual spec output for humans, plus
// a JSON tally written at the end of the run to the file named by the
// reporter option `output` (--reporter-option output=PATH), or the
// MOCHA_SUMMARY_FILE environment variable.
//   { "passed": n, "failed": n, "skipped": n, "failures": ["full title: message", ...] }
// A failing hook counts as one failure (the tests it kept from running are not
// counted). CommonJS because mocha loads reporters with require().
const fs = require('node:fs');
const path = require('node:path');
const Mocha = require('mocha');

const { EVENT_TEST_PASS, EVENT_TEST_FAIL, EVENT_TEST_PENDING, EVENT_RUN_END } = Mocha.Runner.constants;

class CountingSpecReporter extends Mocha.reporters.Spec {
  constructor(runner, options = {}) {
    super(runner, options);
    const output = (options.reporterOptions && options.reporterOptions.output) || process.env.MOCHA_SUMMARY_FILE;
    const tally = { passed: 0, failed: 0, skipped: 0, failures: [] };
    runner.on(EVENT_TEST_PASS, () => {
      tally.passed += 1;
    });
    runner.on(EVENT_TEST_PENDING, () => {
      tally.skipped += 1;
    });
    runner.on(EVENT_TEST_FAIL, (test, err) => {
      tally.failed += 1;
      tally.failures.push(`${test.fullTitle()}: ${(err && err.message) || err}`);
    });
    runner.once(EVENT_RUN_END, () => {
      if (!output) return;
      fs.mkdirSync(path.dirname(path.resolve(output)), { recursive: true });
      fs.writeFileSync(output, JSON.stringify(tally, null, 2) + '\n');
    });
  }
}

module.exports = CountingSpecReporter;
