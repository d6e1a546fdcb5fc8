// Give a container its own copy of the volumes it mounts through --volumes-from: pick the container,
// see the plan, then the copies and the recreated container.
// Design notes (script argument): docs/ui.md#srccommandsowncopyts
import * as vscode from 'vscode';
import { executeOwnCopy, planOwnCopy, type OwnCopyResult } from '../core/operations/migrations/ownCopy';
import type { CommandSpec } from '../services';
import { confirmPlan, runPlan } from './migrationUi';
import { argObject, containerArg } from './targets';

export const ownCopy: CommandSpec = {
  id: 'containerVolumes.ownCopy',
  changesData: true,
  async run(services, arg): Promise<OwnCopyResult> {
    const o = argObject(arg);
    const container = await containerArg(services, arg);
    const engine = services.engine.get();
    const names = o.names !== null && typeof o.names === 'object'
      ? Object.fromEntries(Object.entries(o.names as Record<string, unknown>).filter((e): e is [string, string] => typeof e[1] === 'string'))
      : undefined;
    const plan = await planOwnCopy(engine, {
      container: container.id, names, volumeLabels: services.resourceLabels.volume,
      ...(typeof o.stopTimeoutSeconds === 'number' ? { stopTimeoutSeconds: o.stopTimeoutSeconds } : {}),
      ...(typeof o.settleMs === 'number' ? { settleMs: o.settleMs } : {}),
    });
    await confirmPlan(services, plan, vscode.l10n.t('Copy'), []);
    const result = await runPlan(services, engine, plan, vscode.l10n.t('Giving {0} its own copy', container.name), executeOwnCopy);
    void vscode.window.showInformationMessage(vscode.l10n.t('{0} now has its own copy: {1}.', result.name, Object.entries(result.volumes).map(([d, v]) => `${d} → ${v}`).join(', ')));
    return result;
  },
};
