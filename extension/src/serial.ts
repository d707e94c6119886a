/** Work that runs one piece after another, in the order given: a window's compactions, its sends. A failure does not stop the pieces after it. */
export class Serial {
  private tail: Promise<unknown> = Promise.resolve();

  run<T>(work: () => Promise<T>): Promise<T> {
    const run = this.tail.then(work);
    this.tail = run.catch(() => undefined);
    return run;
  }
}
