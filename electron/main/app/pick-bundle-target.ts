import { app, dialog, type BrowserWindow, type SaveDialogOptions } from 'electron';
import { join } from 'node:path';

// "Install in Claude Desktop (.mcpb)": the system's save dialog, in main, so
// where the bundle is written comes from the person's choice here and never
// from the renderer. Opening the saved file installs it in Claude Desktop.

export async function pickBundleTarget(parent: BrowserWindow | null): Promise<string | null> {
  const options: SaveDialogOptions = {
    title: 'Save Custodian for Claude Desktop',
    buttonLabel: 'Save bundle',
    defaultPath: join(app.getPath('downloads'), 'custodian.mcpb'),
    filters: [{ name: 'MCP Bundle', extensions: ['mcpb'] }],
  };
  const answer = parent
    ? await dialog.showSaveDialog(parent, options)
    : await dialog.showSaveDialog(options);
  return answer.canceled || !answer.filePath ? null : answer.filePath;
}
