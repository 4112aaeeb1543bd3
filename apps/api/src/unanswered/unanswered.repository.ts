/**
 * Where unanswered questions are read from: the analytics event log (question_event: fallbacks,
 * handoffs after repeated fallbacks, answers voted down) when that table exists, else the chat's
 * message log (bot fallbacks and thumbs-down answers, with the question retrieval was asked).
 */
import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';

export interface UnansweredRow {
  question: string;
  reason: 'fallback' | 'thumbs_down';
  at: Date;
}

@Injectable()
export class UnansweredRepository {
  private eventLog = false;

  constructor(@InjectDataSource() private readonly db: DataSource) {}

  private async hasEventLog(): Promise<boolean> {
    if (!this.eventLog) {
      const [row]: { present: boolean }[] = await this.db.query(
        `SELECT to_regclass('question_event') IS NOT NULL AS present`,
      );
      this.eventLog = row.present;
    }
    return this.eventLog;
  }

  /** The newest `max` unanswered questions asked since `since`. */
  async recent(kbId: string, since: Date, max: number): Promise<UnansweredRow[]> {
    const rows: { question: string | null; reason: UnansweredRow['reason']; at: Date }[] =
      (await this.hasEventLog())
        ? await this.db.query(
            `SELECT question, 'fallback' AS reason, created_at AS at FROM question_event
            WHERE kb_id = $1 AND created_at >= $2
              AND (outcome = 'fallback' OR handoff_reason = 'consecutive_fallbacks')
           UNION ALL
           SELECT e.question, 'thumbs_down', e.created_at FROM question_event e
             JOIN message_feedback f ON f.message_id = e.message_id AND f.vote = 'down'
            WHERE e.kb_id = $1 AND e.created_at >= $2 AND e.outcome <> 'fallback'
           ORDER BY at DESC LIMIT $3`,
            [kbId, since, max],
          )
        : await this.db.query(
            `SELECT COALESCE(NULLIF(m.payload->>'question', ''),
                    (SELECT p.text FROM message p WHERE p.conversation_id = m.conversation_id
                        AND p.role = 'customer' AND p.seq < m.seq ORDER BY p.seq DESC LIMIT 1)) AS question,
                  CASE WHEN m.payload->>'type' = 'fallback' THEN 'fallback' ELSE 'thumbs_down' END AS reason,
                  m.created_at AS at
             FROM message m
             JOIN conversation c ON c.id = m.conversation_id
             LEFT JOIN message_feedback f ON f.message_id = m.id
            WHERE c.kb_id = $1 AND m.role = 'bot' AND m.created_at >= $2
              AND (m.payload->>'type' = 'fallback' OR f.vote = 'down')
            ORDER BY m.created_at DESC LIMIT $3`,
            [kbId, since, max],
          );
    return rows.filter((r): r is UnansweredRow => !!r.question?.trim());
  }

  /** Every phrasing of the KB's enabled FAQ entries, with when its entry last changed. */
  async faqPhrasings(kbId: string): Promise<{ phrasing: string; updatedAt: Date }[]> {
    const rows: { phrasing: string; updated_at: Date }[] = await this.db.query(
      `SELECT p.phrasing, f.updated_at FROM faq_entry f
         CROSS JOIN LATERAL unnest(array_prepend(f.question, f.alternates)) AS p(phrasing)
        WHERE f.kb_id = $1 AND f.enabled`,
      [kbId],
    );
    return rows.map((r) => ({ phrasing: r.phrasing, updatedAt: r.updated_at }));
  }
}
