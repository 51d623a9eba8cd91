// npm run agent:demo -- --url http://localhost:3000 --key cbk_… [--line-user-id U…] [--name 王小明] [--phone 0912-345-678]
//
// A scripted conversation (no LLM): drives the MCP server at <url>/api/mcp with the official MCP
// client, as the LINE agent would: find the patient by LINE id (or create them), offer three
// slots, hold one, book it, move it, cancel it. Each step prints the tool, its arguments and the
// answer. Everything it books it cancels again.
import { parseArgs } from 'node:util';
import { pathToFileURL } from 'node:url';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';

/* eslint-disable @typescript-eslint/no-explicit-any -- tool answers are JSON read field by field */

interface Slot {
  start_time: string;
  end_time: string;
  recommended?: boolean;
}
interface Offer {
  date: string;
  start_time: string;
  end_time: string;
}

export interface ConversationOptions {
  url: string;
  key: string;
  lineUserId: string;
  name: string;
  phone?: string;
  /** first day to look for slots (YYYY-MM-DD); default tomorrow */
  from?: string;
  print?: (line: string) => void;
}

export interface ConversationResult {
  patientId: number;
  offered: Offer[];
  held: boolean;
  booked: any;
  moved: any;
  canceled: any;
}

const addDays = (date: string, n: number) => new Date(Date.parse(`${date}T00:00:00Z`) + n * 86_400_000).toISOString().slice(0, 10);

/** Short JSON for the transcript: long lists keep their first items. */
function brief(value: unknown, depth = 0): string {
  if (Array.isArray(value)) {
    const shown = value.slice(0, 3).map((v) => brief(v, depth + 1));
    return `[${shown.join(', ')}${value.length > 3 ? `, … ${value.length - 3} more` : ''}]`;
  }
  if (value && typeof value === 'object') {
    return `{${Object.entries(value)
      .map(([k, v]) => `${k}: ${brief(v, depth + 1)}`)
      .join(', ')}}`;
  }
  return JSON.stringify(value);
}

export async function runConversation(options: ConversationOptions): Promise<ConversationResult> {
  const print = options.print ?? ((line: string) => console.log(line));
  const say = (who: 'patient' | 'agent', text: string) => print(`\n${who === 'patient' ? '病人' : 'Agent'}: ${text}`);
  const client = new Client({ name: 'agent-conversation', version: '1.0.0' });
  await client.connect(
    new StreamableHTTPClientTransport(new URL('/api/mcp', options.url), { requestInit: { headers: { Authorization: `Bearer ${options.key}` } } }),
  );
  let step = 0;
  const call = async (name: string, args: Record<string, unknown> = {}): Promise<any> => {
    step += 1;
    print(`  [${step}] → ${name} ${brief(args)}`);
    const result = await client.callTool({ name, arguments: args });
    const text = (result.content as Array<{ type: string; text?: string }>).find((c) => c.type === 'text')?.text ?? 'null';
    const answer = JSON.parse(text);
    print(`      ← ${result.isError ? 'ERROR ' : ''}${brief(answer)}`);
    if (result.isError) throw new Error(`${name} refused: ${text}`);
    return answer;
  };
  try {
    const { tools } = await client.listTools();
    const names = new Set(tools.map((t) => t.name));
    print(`Connected to ${new URL('/api/mcp', options.url).href}; tools: ${[...names].join(', ')}`);

    say('patient', '你好，我想預約看診。');
    let found = await call('find_or_create_patient', { line_user_id: options.lineUserId });
    if (!found.found) {
      say('agent', '您好！第一次預約嗎？請問您的全名和電話？');
      say('patient', `我叫${options.name}${options.phone ? `，電話${options.phone}` : ''}。`);
      found = await call('find_or_create_patient', {
        line_user_id: options.lineUserId,
        full_name: options.name,
        ...(options.phone ? { phone_number: options.phone } : {}),
      });
    }
    const patient = found.patient;
    const types = await call('list_appointment_types');
    const practitioners = await call('list_practitioners');
    if (types.length === 0 || practitioners.length === 0) throw new Error('The clinic has no appointment types or no practitioners');
    const type = types[0];
    const from = options.from ?? addDays(new Date().toISOString().slice(0, 10), 1);

    // The first practitioner with a free start in the next two weeks; recommended starts first.
    let practitioner: any = null;
    let offered: Offer[] = [];
    for (const p of practitioners) {
      const { days } = await call('find_slots', { practitioner_id: p.id, from, to: addDays(from, 13), appointment_type_id: type.id });
      const all: Array<Offer & { recommended?: boolean }> = days.flatMap((d: { date: string; available_slots: Slot[] }) =>
        d.available_slots.map((s) => ({ date: d.date, ...s })),
      );
      if (all.length === 0) continue;
      practitioner = p;
      offered = [...all.filter((s) => s.recommended), ...all.filter((s) => !s.recommended)]
        .slice(0, 3)
        .map(({ date, start_time, end_time }) => ({ date, start_time, end_time }))
        .sort((x, y) => (x.date + x.start_time).localeCompare(y.date + y.start_time));
      break;
    }
    if (!practitioner) throw new Error('No free slot in the next two weeks');
    say(
      'agent',
      `${patient.full_name}您好，${practitioner.name}可以的時間有：${offered.map((o) => `${o.date} ${o.start_time}`).join('、')}。您想選哪一個？`,
    );
    const choice = offered[0]!;
    say('patient', `${choice.date} ${choice.start_time} 好了。`);

    let holdId: number | undefined;
    if (names.has('hold_slot')) {
      const hold = await call('hold_slot', {
        practitioner_id: practitioner.id,
        appointment_type_id: type.id,
        date: choice.date,
        start_time: choice.start_time,
      });
      holdId = hold.hold_id;
      say('agent', `已為您保留 ${choice.date} ${choice.start_time} 五分鐘。確定要預約嗎？`);
      say('patient', '確定。');
    }
    const booked = await call('book_appointment', {
      practitioner_id: practitioner.id,
      patient_id: patient.id,
      appointment_type_id: type.id,
      date: choice.date,
      start_time: choice.start_time,
      ...(holdId !== undefined ? { hold_id: holdId } : {}),
      idempotency_key: `demo-${patient.id}-${choice.date}-${choice.start_time}-${Date.now()}`,
    });
    say('agent', `預約好了：${booked.date} ${booked.start_time}-${booked.end_time}，${practitioner.name}。`);

    say('patient', '抱歉，那天我不行，可以改到後面一點嗎？');
    await call('list_patient_appointments', { patient_id: patient.id });
    const later = await call('find_slots', {
      practitioner_id: practitioner.id,
      from: addDays(booked.date, 1),
      to: addDays(booked.date, 14),
      appointment_type_id: type.id,
    });
    const next = later.days.flatMap((d: { date: string; available_slots: Slot[] }) => d.available_slots.map((s) => ({ date: d.date, ...s })))[0];
    if (!next) throw new Error('No later slot to move to');
    const moved = await call('reschedule_appointment', { calendar_event_id: booked.calendar_event_id, date: next.date, start_time: next.start_time });
    say('agent', `已改到 ${moved.date} ${moved.start_time}-${moved.end_time}。`);

    say('patient', '我還是先取消好了，謝謝。');
    const canceled = await call('cancel_appointment', { calendar_event_id: booked.calendar_event_id });
    say('agent', `已取消 ${canceled.date} ${canceled.start_time} 的預約。有需要再跟我說！`);
    return { patientId: patient.id, offered, held: holdId !== undefined, booked, moved, canceled };
  } finally {
    await client.close();
  }
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const { values } = parseArgs({
    options: {
      url: { type: 'string', default: process.env.APP_URL ?? 'http://localhost:3000' },
      key: { type: 'string', default: process.env.AGENT_KEY },
      'line-user-id': { type: 'string', default: `U${'0'.repeat(31)}1` },
      name: { type: 'string', default: '王小明' },
      phone: { type: 'string' },
      from: { type: 'string' },
    },
  });
  if (!values.key) {
    console.error(
      'Usage: npm run agent:demo -- --url http://localhost:3000 --key <agent key> [--line-user-id U…] [--name …] [--phone …] [--from YYYY-MM-DD]',
    );
    process.exit(2);
  }
  runConversation({
    url: values.url!,
    key: values.key,
    lineUserId: values['line-user-id']!,
    name: values.name!,
    phone: values.phone,
    from: values.from,
  }).catch((err: unknown) => {
    console.error(err instanceof Error ? err.message : err);
    process.exitCode = 1;
  });
}
