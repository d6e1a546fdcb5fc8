// Read-only JSON documents of what the engine says about a volume or a container
// (`container-volumes-inspect://<engine-id>/volume/NAME.json`, the engine id as in `docker-volume:` URIs;
// without one, the current engine). Read-only because they are a view, not a file.
import * as vscode from 'vscode';
import { call, type Engine } from '../core/engine/engine';
import { engineIdOf } from '../fs/volumeUri';
import type { EngineService, Services } from '../services';

export const INSPECT_SCHEME = 'container-volumes-inspect';

export class InspectDocumentProvider implements vscode.TextDocumentContentProvider {
  constructor(
    private readonly engine: EngineService,
    private readonly roots: Pick<Services['engineRoots'], 'hostOfId' | 'currentHost' | 'engineOf'>,
  ) {}

  /** On `engine` (the engine the command acts on: the current one, or another one's row). */
  static uri(kind: 'volume' | 'container', id: string, engine?: Engine): vscode.Uri {
    return vscode.Uri.from({ scheme: INSPECT_SCHEME, authority: engine ? engineIdOf(engine.endpoint) : '', path: `/${kind}/${encodeURIComponent(id)}.json` });
  }

  /** The engine a URI names: the current one, or another known engine (loaded if need be). */
  private async engineOf(uri: vscode.Uri): Promise<Engine> {
    const s = this.engine.state;
    if (!uri.authority || (s.kind === 'ok' && engineIdOf(s.endpoint) === uri.authority)) return this.engine.get();
    const host = this.roots.hostOfId(uri.authority);
    if (!host) throw new Error(vscode.l10n.t('No known Docker engine has the id {0}.', uri.authority));
    return host === this.roots.currentHost() ? this.engine.ready() : this.roots.engineOf(host);
  }

  async provideTextDocumentContent(uri: vscode.Uri): Promise<string> {
    const m = /^\/(volume|container)\/(.+)\.json$/.exec(uri.path);
    if (!m) throw vscode.FileSystemError.FileNotFound(uri);
    const id = decodeURIComponent(m[2]);
    const docker = (await this.engineOf(uri)).docker;
    const data: unknown = m[1] === 'volume' ? await call(() => docker.getVolume(id).inspect()) : await call(() => docker.getContainer(id).inspect());
    return JSON.stringify(data, null, 2) + '\n';
  }
}
