import { dialog, type BrowserWindow, type OpenDialogOptions } from 'electron';

// "Install from file…": the system's open dialog, in main, so the path of the
// archive comes from the person's choice here and never from the renderer.

const OPTIONS: OpenDialogOptions = {
  title: 'Install a plugin from a file',
  buttonLabel: 'Check plugin',
  properties: ['openFile'],
  filters: [{ name: 'Custodian plugin archive', extensions: ['zip'] }],
};

export async function pickPluginArchive(parent: BrowserWindow | null): Promise<string | null> {
  const answer = parent
    ? await dialog.showOpenDialog(parent, OPTIONS)
    : await dialog.showOpenDialog(OPTIONS);
  return answer.canceled ? null : (answer.filePaths[0] ?? null);
}
