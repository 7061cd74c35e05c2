// Child process for the kill -9 test: serves the store at argv[2] to a kubelet with the options
// in argv[3] (JSON) and prints "ready" once the kubelet has started. Runs until it is killed.
import { realClock } from '../../controllers/runtime/clock';
import { ObjectStorage } from '../../apiserver/storage/object-storage';
import { fakePatcher, fakeResolver } from '../../apiserver/testing/fake-resources';
import { DockerRuntime } from '../../runtime/docker/docker-runtime';
import { openSqliteStore } from '../../store/sqlite-store';
import { startKubelet } from '../kubelet';
import { kubeletTestDefinitions } from './test-api';

const [file, json] = process.argv.slice(2);
const options = JSON.parse(json) as {
  nodeName: string;
  profile: string;
  profileDir: string;
  network: string;
  pauseImage: string;
};
const store = openSqliteStore(file);
const api = new ObjectStorage({
  store,
  resources: fakeResolver(kubeletTestDefinitions),
  patcher: fakePatcher,
});
await startKubelet({ ...options, api, runtime: new DockerRuntime(), clock: realClock, resyncMs: 1_000 });
process.stdout.write('ready\n');
setInterval(() => undefined, 60_000);
