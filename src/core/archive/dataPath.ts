// The one place that decides how a restore's bytes reach the volume, once per operation, from the header
// scan: 'helper-tar' (busybox `tar x` in a work helper) or 'archive-endpoint' (our normalised tar to PUT).
// Design notes: docs/data-operations.md#srccorearchivedatapathts
import type { ExtractionPlan } from './extractionPlan';

export type DataPath = 'helper-tar' | 'archive-endpoint';

export interface DataPathInput {
  /** The archive's compression ('tar', 'tar.gz', 'tar.bz2' ...). */
  readonly format: string;
  readonly plan: Pick<ExtractionPlan, 'plainTarIssue'>;
  /** The fast path is offered here (local engine, work helpers configured). */
  readonly fastPathOffered: boolean;
  /** Every symlink's owner is known (busybox leaves them root's; they are set afterwards). */
  readonly linkOwnersComplete: boolean;
  /** The owner and mode of the folder whose contents go to the volume root are known (or no such folder). */
  readonly rootFolderKnown: boolean;
}

export interface DataPathChoice {
  readonly path: DataPath;
  /** Why the fast path is not taken (for the result and the logs). */
  readonly why?: string;
}

export function chooseDataPath(a: DataPathInput): DataPathChoice {
  const why = !a.fastPathOffered ? 'no fast path here (remote engine, or turned off)'
    : a.format !== 'tar' && a.format !== 'tar.gz' ? `a ${a.format} archive is decompressed here`
      : a.plan.plainTarIssue ? `busybox tar would not extract it as GNU tar does: ${a.plan.plainTarIssue}`
        : !a.linkOwnersComplete ? 'too many symlinks to set their owners after busybox tar'
          : !a.rootFolderKnown ? 'its top folder is too deep to know its owner'
            : undefined;
  return why ? { path: 'archive-endpoint', why } : { path: 'helper-tar' };
}
