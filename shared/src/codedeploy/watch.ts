import type { DeploymentInfo, ECSTarget, LifecycleEvent } from '@aws-sdk/client-codedeploy';
import type { Deadline } from '../async/deadline.ts';
import { DeadlineExceededError } from '../errors.ts';
import * as log from '../runner/log.ts';
import { sleep } from '../async/sleep.ts';
import { codeDeployCall, type CodeDeploy } from './client.ts';

/**
 * Waits for a CodeDeploy deployment to reach a point (Ready, traffic shifted, Succeeded), polling
 * GetDeployment at the steady interval and, while it runs, the ECS target's lifecycle events, each
 * new status logged once (`AfterAllowTestTraffic: Succeeded`). It ends at once on Failed or Stopped,
 * naming the lifecycle event that failed and its diagnostics, and at the deadline.
 *
 * One call per poll where the events cannot move: the target is read again only when the
 * deployment's status (or its termination wait) changed since the last read, or while a lifecycle
 * event is still pending or running. Waiting at Ready, in the termination wait, or with every event
 * ended, no event changes until the status does, so the stream is the same as with a read per poll.
 */

export type WatchVerdict = 'reached' | 'failed' | 'stopped' | 'timed-out';

export interface WatchResult {
  verdict: WatchVerdict;
  info: DeploymentInfo;
  /** Why it failed, stopped or timed out: CodeDeploy's errorInformation and the failed event's diagnostics. */
  reason: string | undefined;
  /** `Event: Status`, in the order seen. */
  events: string[];
}

export interface WatchOptions {
  deploymentId: string;
  pollIntervalMs: number;
  deadline: Deadline;
  signal: AbortSignal;
}

const ENDED = new Set(['Succeeded', 'Failed', 'Stopped']);
const EVENT_ENDED = new Set(['Succeeded', 'Failed', 'Skipped']);

function phaseOf(info: DeploymentInfo): string {
  return `${info.status}/${info.instanceTerminationWaitTimeStarted === true}`;
}

export class DeploymentWatch {
  readonly events: string[] = [];
  private readonly seen = new Map<string, string>();
  private targetIds: string[] | undefined;
  private lastTarget: ECSTarget | undefined;
  /** The status (and termination wait) when the target was last read. */
  private targetReadAt: string | undefined;
  private readonly cd: CodeDeploy;
  private readonly options: WatchOptions;

  constructor(cd: CodeDeploy, options: WatchOptions) {
    this.cd = cd;
    this.options = options;
  }

  /** Polls until `reached(info)`, an end (Failed, Stopped, or Succeeded without reaching) or the deadline. */
  async until(reached: (info: DeploymentInfo) => boolean, what: string): Promise<WatchResult> {
    const { deadline, signal, pollIntervalMs } = this.options;
    let info: DeploymentInfo = {};
    try {
      for (;;) {
        info = await this.poll();
        if (reached(info)) return this.result('reached', info, undefined);
        if (info.status === 'Failed') return this.result('failed', info, this.failureReason(info));
        if (info.status === 'Stopped') return this.result('stopped', info, this.failureReason(info));
        if (ENDED.has(info.status ?? '')) return this.result('reached', info, undefined);
        if (deadline.remaining() <= 0) break;
        await sleep(Math.min(pollIntervalMs, deadline.remaining()), signal);
      }
    } catch (error) {
      // A call or a retry that fails once the deadline has passed ends the wait as a timeout.
      if (signal.aborted || !(error instanceof DeadlineExceededError || deadline.expired())) throw error;
    }
    return this.result(
      'timed-out',
      info,
      deadline.error(`deployment ${this.options.deploymentId} to ${what}; it was ${info.status ?? 'unknown'}`)
        .message,
    );
  }

  private async poll(): Promise<DeploymentInfo> {
    const { deploymentId, deadline, signal } = this.options;
    // The job's signal, not one per poll from deadline.signal(): each of those would add a listener
    // to the job's signal for the whole wait. A hung call is bounded by the SDK's request timeout.
    const retrying = { deadline, signal };
    const { deploymentInfo } = await codeDeployCall(
      'GetDeployment',
      () =>
        this.cd.client.send(new this.cd.sdk.GetDeploymentCommand({ deploymentId }), {
          abortSignal: retrying.signal,
        }),
      retrying,
    );
    const info = deploymentInfo ?? {};
    if (info.status !== 'Created' && info.status !== 'Queued' && !this.eventsSettled(info)) {
      await this.pollTarget(retrying);
      this.targetReadAt = phaseOf(info);
    }
    return info;
  }

  /** No lifecycle event can have changed since the last read of the target (see the header). */
  private eventsSettled(info: DeploymentInfo): boolean {
    if (this.lastTarget === undefined || this.targetReadAt !== phaseOf(info)) return false;
    const waiting = info.status === 'Ready' || info.instanceTerminationWaitTimeStarted === true;
    const ended = (this.lastTarget.lifecycleEvents ?? []).every((event) =>
      EVENT_ENDED.has(event.status ?? ''),
    );
    return waiting || ended;
  }

  private async pollTarget(retrying: { deadline: Deadline; signal: AbortSignal }): Promise<void> {
    const { deploymentId } = this.options;
    this.targetIds ??= (
      await codeDeployCall(
        'ListDeploymentTargets',
        () =>
          this.cd.client.send(new this.cd.sdk.ListDeploymentTargetsCommand({ deploymentId }), {
            abortSignal: retrying.signal,
          }),
        retrying,
      )
    ).targetIds;
    if (!this.targetIds || this.targetIds.length === 0) {
      this.targetIds = undefined;
      return;
    }
    const ids = this.targetIds;
    const { deploymentTargets } = await codeDeployCall(
      'BatchGetDeploymentTargets',
      () =>
        this.cd.client.send(
          new this.cd.sdk.BatchGetDeploymentTargetsCommand({ deploymentId, targetIds: ids }),
          {
            abortSignal: retrying.signal,
          },
        ),
      retrying,
    );
    const target = deploymentTargets?.find((entry) => entry.ecsTarget)?.ecsTarget;
    if (!target) return;
    this.lastTarget = target;
    for (const event of target.lifecycleEvents ?? []) this.notice(event);
  }

  private notice(event: LifecycleEvent): void {
    const name = event.lifecycleEventName ?? '?';
    const status = event.status ?? 'Unknown';
    if (status === 'Pending' || this.seen.get(name) === status) return;
    this.seen.set(name, status);
    const line = `${name}: ${status}${status === 'Failed' ? ` (${diagnosticsOf(event)})` : ''}`;
    this.events.push(line);
    log.info(`CodeDeploy ${this.options.deploymentId}: ${line}`);
  }

  private failureReason(info: DeploymentInfo): string {
    const failed = this.lastTarget?.lifecycleEvents?.find((event) => event.status === 'Failed');
    const error = info.errorInformation;
    const parts = [
      failed ? `lifecycle event ${failed.lifecycleEventName} failed (${diagnosticsOf(failed)})` : undefined,
      error ? `${error.code ?? 'error'}: ${error.message ?? ''}`.trim() : undefined,
    ].filter((part) => part !== undefined);
    return parts.length > 0 ? parts.join('; ') : `deployment ${info.status}`;
  }

  private result(verdict: WatchVerdict, info: DeploymentInfo, reason: string | undefined): WatchResult {
    return { verdict, info, reason, events: this.events };
  }
}

function diagnosticsOf(event: LifecycleEvent): string {
  const diagnostics = event.diagnostics;
  if (!diagnostics) return 'no diagnostics';
  return [diagnostics.errorCode, diagnostics.message, diagnostics.logTail?.trim()].filter(Boolean).join(': ');
}
