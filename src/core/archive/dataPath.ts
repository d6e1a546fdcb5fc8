// The one place that decides how a restore's bytes reach the volume, once per operation, from the
// header scan that ran before anything was written:
//  - 'helper-tar' (the fast path): busybox `tar x` in a work helper reads the archive file itself.
//    Only for archives it extracts exactly as GNU tar does (see ExtractionPlan.plainTarIssue), plain
//    or gzip, on a local engine, with every symlink owner and top folder known for the touch-ups;
//  - 'archive-endpoint': the archive rewritten by our own reader (normalisedTar: sparse files
//    expanded, pax times, v7 and vendor types made plain) goes to the engine's PUT /archive. It
//    takes every archive the reader accepts; the engine's one gap (times before 1970) is dated
//    afterwards from ExtractionPlan.endpointTimes.
// Archives neither path restores exactly are refused by the scan itself (verify says the same).
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
