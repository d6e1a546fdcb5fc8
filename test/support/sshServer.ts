// A real sshd on a loopback port, for the engine-over-ssh tests: Debian's openssh-server (installed by
// scripts/second-engine.sh), a host key, two client keys (one held by an ssh-agent started here, one
// only named by IdentityFile in an ssh config), known_hosts with the host key, and the remote side's
// `docker system dial-stdio` pointed at a given engine (sshd's SetEnv DOCKER_HOST). ssh reads
// ~/.ssh/config from the passwd home, not $HOME, so the client's config is given as `ssh -F` by an
// `ssh` wrapper first on PATH: what ~/.ssh/config would do, without touching the user's own.
import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import * as net from 'node:net';
import * as os from 'node:os';
import * as path from 'node:path';

export interface SshServer {
  readonly port: number;
  readonly user: string;
  /** ssh://user@127.0.0.1:port */
  readonly url: string;
  /** A host alias in the ssh config (HostName, Port, User, IdentityFile of a key the agent does not hold). */
  readonly alias: string;
  /** The agent's socket (it holds the other key). */
  readonly agentSocket: string;
  /** PATH with the ssh wrapper (-F our config, our known_hosts) first. */
  readonly path: string;
  /** PATH with a wrapper whose known_hosts is empty: every host key is unknown. */
  readonly pathUnknownHost: string;
  readonly dir: string;
  stop(): Promise<void>;
}

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = net.createServer();
    s.on('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const port = (s.address() as net.AddressInfo).port;
      s.close(() => resolve(port));
    });
  });
}

async function waitPort(port: number, child: ChildProcess, log: () => string): Promise<void> {
  for (let i = 0; i < 100; i++) {
    if (child.exitCode !== null) throw new Error(`sshd exited ${child.exitCode}: ${log()}`);
    const ok = await new Promise<boolean>((resolve) => {
      const c = net.connect(port, '127.0.0.1', () => {
        c.destroy();
        resolve(true);
      });
      c.on('error', () => resolve(false));
    });
    if (ok) return;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`sshd did not listen on ${port}: ${log()}`);
}

async function waitFile(file: string, child: ChildProcess): Promise<void> {
  for (let i = 0; i < 100 && !existsSync(file); i++) {
    if (child.exitCode !== null) break;
    await new Promise((r) => setTimeout(r, 50));
  }
  if (!existsSync(file)) throw new Error(`${file} did not appear`);
}

export async function startSshServer(remoteDockerHost: string): Promise<SshServer> {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'cv-sshd-'));
  chmodSync(dir, 0o700);
  const user = os.userInfo().username;
  const port = await freePort();
  const keygen = (name: string) => execFileSync('ssh-keygen', ['-q', '-t', 'ed25519', '-N', '', '-C', name, '-f', path.join(dir, name)]);
  keygen('host_key');
  keygen('agent_key');
  keygen('file_key');
  writeFileSync(
    path.join(dir, 'authorized_keys'),
    readFileSync(path.join(dir, 'agent_key.pub'), 'utf8') + readFileSync(path.join(dir, 'file_key.pub'), 'utf8'),
  );
  const hostPub = readFileSync(path.join(dir, 'host_key.pub'), 'utf8').trim().split(' ').slice(0, 2).join(' ');
  writeFileSync(path.join(dir, 'known_hosts'), `[127.0.0.1]:${port} ${hostPub}\n`);
  writeFileSync(path.join(dir, 'empty_known_hosts'), '');
  writeFileSync(
    path.join(dir, 'sshd_config'),
    [
      `Port ${port}`,
      'ListenAddress 127.0.0.1',
      `HostKey ${dir}/host_key`,
      `PidFile ${dir}/sshd.pid`,
      `AuthorizedKeysFile ${dir}/authorized_keys`,
      'PasswordAuthentication no',
      'KbdInteractiveAuthentication no',
      'PubkeyAuthentication yes',
      'PermitRootLogin prohibit-password',
      'UsePAM no',
      'StrictModes no',
      `SetEnv DOCKER_HOST=${remoteDockerHost}`,
      '',
    ].join('\n'),
  );
  const alias = 'cv-remote-engine';
  const clientConfig = (knownHosts: string) =>
    [
      `Host ${alias}`,
      '  HostName 127.0.0.1',
      `  Port ${port}`,
      `  User ${user}`,
      `  IdentityFile ${dir}/file_key`,
      '  IdentitiesOnly yes',
      'Host *',
      `  UserKnownHostsFile ${knownHosts}`,
      '  GlobalKnownHostsFile /dev/null',
      '  StrictHostKeyChecking yes',
      '',
    ].join('\n');
  const wrapper = (name: string, knownHosts: string): string => {
    const bin = path.join(dir, name);
    mkdirSync(bin);
    writeFileSync(path.join(dir, `${name}.config`), clientConfig(knownHosts));
    const ssh = execFileSync('sh', ['-c', 'command -v ssh'], { encoding: 'utf8' }).trim();
    writeFileSync(path.join(bin, 'ssh'), `#!/bin/sh\nexec ${ssh} -F ${dir}/${name}.config "$@"\n`, { mode: 0o755 });
    return `${bin}${path.delimiter}${process.env.PATH ?? ''}`;
  };
  const goodPath = wrapper('bin', `${dir}/known_hosts`);
  const unknownPath = wrapper('bin-unknown', `${dir}/empty_known_hosts`);

  mkdirSync('/run/sshd', { recursive: true }); // sshd's privilege-separation directory
  let sshdLog = '';
  const sshd = spawn('/usr/sbin/sshd', ['-D', '-e', '-f', path.join(dir, 'sshd_config')], { stdio: ['ignore', 'ignore', 'pipe'] });
  sshd.stderr?.on('data', (d: Buffer) => {
    if (sshdLog.length < 20000) sshdLog += d.toString();
  });
  const agentSocket = path.join(dir, 'agent.sock');
  const agent = spawn('ssh-agent', ['-D', '-a', agentSocket], { stdio: 'ignore' });
  const stop = async (): Promise<void> => {
    await Promise.all(
      [sshd, agent].map(
        (c) =>
          new Promise<void>((resolve) => {
            if (c.exitCode !== null || c.signalCode !== null) return resolve();
            c.once('exit', () => resolve());
            c.kill();
          }),
      ),
    );
    rmSync(dir, { recursive: true, force: true });
  };
  try {
    await waitPort(port, sshd, () => sshdLog);
    await waitFile(agentSocket, agent);
    execFileSync('ssh-add', ['-q', path.join(dir, 'agent_key')], { env: { ...process.env, SSH_AUTH_SOCK: agentSocket }, stdio: 'ignore' });
  } catch (e) {
    await stop();
    throw e;
  }
  return { port, user, url: `ssh://${user}@127.0.0.1:${port}`, alias, agentSocket, path: goodPath, pathUnknownHost: unknownPath, dir, stop };
}
