// Reload everything now, sizes included; when the engine is away, try to reconnect first (the welcome view's Retry).
import { defineCommand } from '../services';

export const refresh = defineCommand({
  id: 'containerVolumes.refresh',
  async run(services) {
    services.engineRoots.reload(); // a context added or removed since
    if (services.engine.state.kind !== 'ok') await services.engine.reconnect();
    void services.engineRoots.refreshOthers();
    services.inventory.invalidateSizes();
    await services.inventory.refresh();
    return services.inventory.current !== undefined;
  },
});
