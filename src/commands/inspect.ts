// Shows the engine's own JSON for a volume or a container in a read-only editor.
import * as vscode from 'vscode';
import { defineCommand } from '../services';
import { InspectDocumentProvider } from '../editors/InspectDocumentProvider';
import { volumeArg } from './targets';

export const inspect = defineCommand({
  id: 'containerVolumes.inspect',
  async run(services, { target }) {
    let uri: vscode.Uri;
    if (target.kind === 'container' && target.container.id !== undefined) {
      // a container node, or { containerId }
      uri = InspectDocumentProvider.uri('container', target.container.id, services.engine.get());
    } else {
      const v = await volumeArg(services, target);
      uri = InspectDocumentProvider.uri('volume', v.name, services.engine.get());
    }
    const doc = await vscode.workspace.openTextDocument(uri);
    await vscode.languages.setTextDocumentLanguage(doc, 'json');
    await vscode.window.showTextDocument(doc, { preview: true });
    return doc.getText();
  },
});
