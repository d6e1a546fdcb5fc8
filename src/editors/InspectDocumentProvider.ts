// Read-only JSON documents of what the engine says about a volume or a container
// (`container-volumes-inspect:/volume/NAME.json`). Read-only because they are a view, not a file.
import * as vscode from 'vscode';
import { call } from '../core/engine/engine';
import type { EngineService } from '../services';

export const INSPECT_SCHEME = 'container-volumes-inspect';

export class InspectDocumentProvider implements vscode.TextDocumentContentProvider {
  constructor(private readonly engine: EngineService) {}

  static uri(kind: 'volume' | 'container', id: string): vscode.Uri {
    return vscode.Uri.from({ scheme: INSPECT_SCHEME, path: `/${kind}/${encodeURIComponent(id)}.json` });
  }

  async provideTextDocumentContent(uri: vscode.Uri): Promise<string> {
    const m = /^\/(volume|container)\/(.+)\.json$/.exec(uri.path);
    if (!m) throw vscode.FileSystemError.FileNotFound(uri);
    const id = decodeURIComponent(m[2]);
    const docker = this.engine.get().docker;
    const data: unknown = m[1] === 'volume'
      ? await call(() => docker.getVolume(id).inspect())
      : await call(() => docker.getContainer(id).inspect());
    return JSON.stringify(data, null, 2) + '\n';
  }
}
