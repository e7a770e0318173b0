// Prints the run's closing line in the plain form CI tooling reads ("tests: N passed, N failed"),
// after jest's own summary. Plain JavaScript: jest loads reporters without transforming them.
export default class ClosingLineReporter {
  onRunComplete(_contexts, results) {
    const skipped = results.numPendingTests + results.numTodoTests;
    const line = `tests: ${results.numPassedTests} passed, ${results.numFailedTests} failed`;
    process.stdout.write(`${skipped > 0 ? `${line}, ${skipped} skipped` : line}\n`);
  }
}
