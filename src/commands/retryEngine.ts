// Retry on an engine's root (several engines known): connects again and reloads that engine's rows.
import { defineCommand } from '../services';

export const retryEngine = defineCommand({
  id: 'containerVolumes.retryEngine',
  async run(services, { target }) {
    services.engineRoots.reload();
    if (target.kind === 'engine' && !target.current) {
      await services.engineRoots.load(target.host);
      return;
    }
    await services.engine.reconnect();
    await services.inventory.refresh();
  },
});
