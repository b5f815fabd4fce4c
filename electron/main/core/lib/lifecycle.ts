/** Something that holds a resource (server, timer, subscription) and can release it. */
export interface Disposable {
  dispose(): void | Promise<void>;
}

/**
 * Owns disposables and releases them in reverse order of registration.
 *
 * Whoever creates a server, timer or subscription registers it with its owner's store, so shutdown and
 * tests leave nothing running. Disposing twice is harmless.
 */
export class DisposableStore implements Disposable {
  private readonly items: Disposable[] = [];
  private disposed = false;

  add<T extends Disposable>(item: T): T {
    if (this.disposed) {
      void item.dispose();
      throw new Error('Cannot add to a disposed store');
    }
    this.items.push(item);
    return item;
  }

  /** Registers a plain cleanup function. */
  defer(cleanup: () => void | Promise<void>): void {
    this.add({ dispose: cleanup });
  }

  get isDisposed(): boolean {
    return this.disposed;
  }

  async dispose(): Promise<void> {
    if (this.disposed) return;
    this.disposed = true;
    const errors: unknown[] = [];
    for (const item of this.items.splice(0).reverse()) {
      try {
        await item.dispose();
      } catch (error) {
        errors.push(error);
      }
    }
    if (errors.length === 1) throw errors[0];
    if (errors.length > 1) throw new AggregateError(errors, 'Several resources failed to close');
  }
}
