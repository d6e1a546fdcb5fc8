// Shows the engine's own JSON for a volume or a container in a read-only editor.
import * as vscode from 'vscode';
import type { CommandSpec } from '../services';
import { InspectDocumentProvider } from '../editors/InspectDocumentProvider';
import { argObject, volumeArg } from './targets';

export const inspect: CommandSpec = {
  id: 'containerVolumes.inspect',
  async run(services, arg) {
    const o = argObject(arg);
    let uri: vscode.Uri;
    if (o.kind === 'container' && typeof o.containerId === 'string') { // a container node
      uri = InspectDocumentProvider.uri('container', o.containerId, services.engine.get());
    } else {
      const v = await volumeArg(services, arg);
      uri = InspectDocumentProvider.uri('volume', v.name, services.engine.get());
    }
    const doc = await vscode.workspace.openTextDocument(uri);
    await vscode.languages.setTextDocumentLanguage(doc, 'json');
    await vscode.window.showTextDocument(doc, { preview: true });
    return doc.getText();
  },
};
