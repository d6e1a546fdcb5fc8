// Reload everything now, sizes included; when the engine is away, try to reconnect first (the welcome view's Retry).
import type { CommandSpec } from '../services';

export const refresh: CommandSpec = {
  id: 'containerVolumes.refresh',
  async run(services) {
    if (services.engine.state.kind !== 'ok') await services.engine.reconnect();
    services.inventory.invalidateSizes();
    await services.inventory.refresh();
    return services.inventory.current !== undefined;
  },
};
