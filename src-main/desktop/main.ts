/** Entry point of the desktop app's main process. */
import { startDesktop } from './app-main';

void startDesktop();
