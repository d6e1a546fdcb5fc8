// Retry on an engine's root (several engines known): connects again and reloads that engine's rows.
import type { EngineRootNode } from '../model/EngineRoots';
import type { CommandSpec } from '../services';

export const retryEngine: CommandSpec = {
  id: 'containerVolumes.retryEngine',
  async run(services, arg) {
    const node = arg as Partial<EngineRootNode> | undefined;
    services.engineRoots.reload();
    if (node?.kind === 'engine' && node.engine && !node.current) {
      await services.engineRoots.load(node.engine.host);
      return;
    }
    await services.engine.reconnect();
    await services.inventory.refresh();
  },
};
