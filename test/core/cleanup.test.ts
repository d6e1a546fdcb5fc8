// The cleanup stack the data operations share (src/core/operations/cleanup.ts), without an engine: reverse
// order, every step run although one throws, the operation's own error kept, early release once.
import * as assert from 'node:assert/strict';
import { Cleanup, withCleanup, type WithSuppressed } from '../../src/core/operations/cleanup';
import { restartStep, type StoppedContainers } from '../../src/core/operations/containerStopper';
import { CancelledError } from '../../src/core/operations/operationErrors';
import { msg } from '../../src/core/message';

suite('cleanup stack (no engine)', () => {
  test('steps run last deferred first, on success and on failure', async () => {
    for (const fail of [false, true]) {
      const order: string[] = [];
      const run = withCleanup((c) => {
        c.defer(() => {
          order.push('temp file');
        });
        c.defer(async () => {
          await Promise.resolve();
          order.push('containers');
        });
        c.onFailure(() => {
          order.push('undo');
        });
        c.defer(() => {
          order.push('helper');
        });
        return fail ? Promise.reject(new Error('boom')) : Promise.resolve('done');
      });
      if (fail) await assert.rejects(run, /^Error: boom$/);
      else assert.equal(await run, 'done');
      assert.deepEqual(order, fail ? ['helper', 'undo', 'containers', 'temp file'] : ['helper', 'containers', 'temp file']);
    }
  });

  test('a step that throws neither stops the others nor masks the original error', async () => {
    const order: string[] = [];
    const original = new Error('the export failed');
    const cleanupFailure = new Error('could not remove the helper');
    await assert.rejects(
      withCleanup((c) => {
        c.defer(() => {
          order.push('first');
        });
        c.defer(() => {
          throw cleanupFailure;
        });
        c.defer(() => {
          order.push('last');
        });
        return Promise.reject(original);
      }),
      (e: unknown) => {
        assert.equal(e, original);
        assert.deepEqual((e as WithSuppressed).suppressed, [cleanupFailure]);
        return true;
      },
    );
    assert.deepEqual(order, ['last', 'first']);
  });

  test("after success, the steps' errors are thrown: one as it is, several together", async () => {
    const one = new Error('one');
    await assert.rejects(
      withCleanup((c) => {
        c.defer(() => {
          throw one;
        });
        return Promise.resolve();
      }),
      (e: unknown) => e === one,
    );
    await assert.rejects(
      withCleanup((c) => {
        c.defer(() => {
          throw new Error('a');
        });
        c.defer(() => Promise.reject(new Error('b')));
        return Promise.resolve();
      }),
      (e: unknown) => e instanceof AggregateError && e.errors.map((x: Error) => x.message).join() === 'b,a',
    );
  });

  test('the failure is mapped before the steps see it (a cancel), and a step may amend it', async () => {
    const ac = new AbortController();
    let seen: Error | undefined;
    await assert.rejects(
      withCleanup(
        (c) => {
          c.onFailure((err) => {
            seen = err;
          });
          ac.abort();
          return Promise.reject(ac.signal.reason as Error);
        },
        (e) => (ac.signal.aborted ? new CancelledError(msg('op.backup')) : (e as Error)),
      ),
      (e: unknown) => {
        assert.ok(e instanceof CancelledError);
        assert.equal(seen, e);
        return true;
      },
    );
  });

  test('a step run early runs once, and its error goes to the caller', async () => {
    const c = new Cleanup();
    let runs = 0;
    const release = c.defer(() => {
      runs++;
    });
    await release();
    await release();
    assert.deepEqual(await c.run(new Error('later failure')), []);
    assert.equal(runs, 1);
    const failing = c.defer(() => {
      throw new Error('no');
    });
    await assert.rejects(failing(), /no/);
    assert.deepEqual(await c.run(), []);
  });

  test("restartStep: a container that does not start is added to a failed operation's error, else warned or thrown", async () => {
    let restarts = 0;
    const stopped: StoppedContainers = {
      names: ['db'],
      restart: () => {
        restarts++;
        return Promise.reject(new Error('db did not start'));
      },
    };
    const err = new Error('backup failed');
    await restartStep(stopped)(err);
    assert.match(err.message, /backup failed.*db did not start/s);
    const warnings: unknown[] = [];
    await restartStep(stopped, (e) => warnings.push(e))(undefined);
    assert.equal(warnings.length, 1);
    await assert.rejects(Promise.resolve(restartStep(stopped)(undefined)), /db did not start/);
    assert.equal(restarts, 3);
  });

  test('restartStep with a progress callback says first that the containers start again', async () => {
    const seen: string[] = [];
    const stopped: StoppedContainers = {
      names: ['db'],
      restart: () => {
        seen.push('restart');
        return Promise.resolve();
      },
    };
    await restartStep(stopped, undefined, (p) => seen.push(p.message?.code ?? '?'))(undefined);
    assert.deepEqual(seen, ['set.restarting', 'restart']);
  });
});
