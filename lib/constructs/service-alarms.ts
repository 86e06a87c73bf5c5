import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as actions from 'aws-cdk-lib/aws-cloudwatch-actions';
import * as sns from 'aws-cdk-lib/aws-sns';
import * as subscriptions from 'aws-cdk-lib/aws-sns-subscriptions';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import { Duration, Stack } from 'aws-cdk-lib';
import { acknowledge } from '../nag';
import { ALARM, CRITICAL_CEILING_RATIO, CRITICAL_FACTOR, SEVERITIES, type Severity } from '../constants';
import type { AlarmRecipients } from '../stages';
import { type AlarmCatalogProps, type AlarmCategory, type AlarmSpec, alarmCatalog } from './alarm-catalog';

export interface ServiceAlarmsProps extends AlarmCatalogProps {
  recipients: Record<Severity, AlarmRecipients>;
}

export interface ServiceAlarm {
  spec: AlarmSpec;
  severity: Severity;
  threshold: number;
  alarm: cloudwatch.Alarm;
}

/** A composite alarm's rule is at most 10,240 characters; 40 alarm ARNs stay well inside it. */
const MAX_ALARMS_PER_COMPOSITE = 40;

/** Critical = 1.5 × warning, kept below 95 % of a ceiling the metric cannot pass. */
export function criticalThreshold(spec: Pick<AlarmSpec, 'warning' | 'ceiling'>): number {
  const scaled = spec.warning * CRITICAL_FACTOR;
  return spec.ceiling === undefined ? scaled : Math.min(scaled, CRITICAL_CEILING_RATIO * spec.ceiling);
}

/**
 * Two severities of every signal (STORY-013's monitor): `warning` at the documented line and
 * `critical` at 1.5× it. The individual alarms notify nobody; per severity, one composite alarm
 * (any of its alarms in ALARM) is the paging signal, and it alone notifies that severity's topic —
 * e-mail subscribers and any existing topic the stage names (a pager, a chat channel) — once when
 * it fires and once when it clears, however many alarms are behind it.
 */
export class ServiceAlarms extends Construct {
  readonly alarms: ServiceAlarm[] = [];
  readonly topics = {} as Record<Severity, sns.Topic>;
  readonly paging = {} as Record<Severity, cloudwatch.CompositeAlarm>;
  /** Per severity and category: what the dashboard's status row shows. */
  readonly categoryComposites: cloudwatch.CompositeAlarm[] = [];

  constructor(scope: Construct, id: string, props: ServiceAlarmsProps) {
    super(scope, id);
    const stackName = Stack.of(this).stackName;
    const specs = alarmCatalog(props);

    for (const severity of SEVERITIES) {
      for (const spec of specs) {
        const threshold = severity === 'warning' ? spec.warning : criticalThreshold(spec);
        const alarm = new cloudwatch.Alarm(this, `${spec.id}-${severity}`, {
          alarmName: `${stackName}-${spec.id}-${severity}`,
          metric: spec.metric,
          threshold,
          alarmDescription: `[${severity}] ${spec.describe(threshold)}. Runbook: docs/operations.md#${spec.family}`,
          comparisonOperator:
            spec.comparison === 'atLeast'
              ? cloudwatch.ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD
              : cloudwatch.ComparisonOperator.GREATER_THAN_THRESHOLD,
          evaluationPeriods: ALARM.evaluationPeriods,
          datapointsToAlarm: ALARM.datapointsToAlarm,
          // No traffic is no evidence of a problem; an alarm on missing data would page every quiet night.
          treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
        });
        this.alarms.push({ spec, severity, threshold, alarm });
      }
      this.paging[severity] = this.pagingAlarm(severity, stackName);
      this.topics[severity] = this.topic(severity, props.recipients[severity]);
      const notify = [
        new actions.SnsAction(this.topics[severity]),
        ...props.recipients[severity].topicArns.map(
          (arn, i) => new actions.SnsAction(sns.Topic.fromTopicArn(this, `${severity}ExistingTopic${i}`, arn)),
        ),
      ];
      this.paging[severity].addAlarmAction(...notify);
      this.paging[severity].addOkAction(...notify);
    }
  }

  /** Per category a composite (in chunks that fit a rule), and one composite over those. */
  private pagingAlarm(severity: Severity, stackName: string): cloudwatch.CompositeAlarm {
    const byCategory = new Map<AlarmCategory, cloudwatch.Alarm[]>();
    for (const entry of this.alarms.filter((candidate) => candidate.severity === severity)) {
      byCategory.set(entry.spec.category, [...(byCategory.get(entry.spec.category) ?? []), entry.alarm]);
    }
    const children: cloudwatch.CompositeAlarm[] = [];
    for (const [category, alarms] of byCategory) {
      for (let start = 0, part = 1; start < alarms.length; start += MAX_ALARMS_PER_COMPOSITE, part++) {
        const suffix = alarms.length > MAX_ALARMS_PER_COMPOSITE ? `${category}${part}` : category;
        const composite = new cloudwatch.CompositeAlarm(this, `${severity}-${suffix}`, {
          compositeAlarmName: `${stackName}-${severity}-${suffix}`,
          alarmDescription: `[${severity}] any ${category} alarm`,
          alarmRule: cloudwatch.AlarmRule.anyOf(...alarms.slice(start, start + MAX_ALARMS_PER_COMPOSITE)),
        });
        children.push(composite);
      }
    }
    this.categoryComposites.push(...children);
    return new cloudwatch.CompositeAlarm(this, `${severity}-paging`, {
      compositeAlarmName: `${stackName}-${severity}`,
      alarmDescription:
        `[${severity}] the variable service needs ` +
        `${severity === 'critical' ? 'someone now' : 'a look in working hours'}. Runbook: docs/operations.md`,
      alarmRule: cloudwatch.AlarmRule.anyOf(...children),
    });
  }

  private undeliveredQueue?: sqs.Queue;

  /**
   * Serverless-SNSRedrivePolicy: a notification SNS could not deliver (a bouncing address) is kept
   * for 14 days instead of vanishing, so "why did nobody get paged" has an answer.
   */
  private undelivered(): sqs.Queue {
    if (!this.undeliveredQueue) {
      this.undeliveredQueue = new sqs.Queue(this, 'UndeliveredNotifications', {
        enforceSSL: true,
        encryption: sqs.QueueEncryption.SQS_MANAGED,
        retentionPeriod: Duration.days(14),
      });
      const reason =
        'This queue is itself the dead-letter queue of the alarm e-mail subscriptions (an SNS redrive policy, which the rule does not see)';
      acknowledge(this.undeliveredQueue, 'AwsSolutions', 'AwsSolutions-SQS3', reason);
      acknowledge(this.undeliveredQueue, 'Serverless', 'Serverless-SQSRedrivePolicy', reason);
    }
    return this.undeliveredQueue;
  }

  private topic(severity: Severity, recipients: AlarmRecipients): sns.Topic {
    const topic = new sns.Topic(this, `${severity}Topic`, {
      displayName: `Variable service ${severity} alarms`,
      // AwsSolutions-SNS3: publishers must use TLS.
      enforceSSL: true,
    });
    for (const email of recipients.emails)
      topic.addSubscription(new subscriptions.EmailSubscription(email, { deadLetterQueue: this.undelivered() }));
    return topic;
  }
}
