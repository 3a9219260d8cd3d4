/** The LLM judge: a second opinion stored beside the deterministic verdict, and its agreement with it. */
export {
  cohensKappa,
  type Disagreement,
  type JudgeAgreement,
  judgeAgreement,
  renderJudgeAgreement,
} from './agreement.ts';
export { type JudgeReply, JudgeReplySchema, parseJudgeReply } from './answer.ts';
export { Judge, type JudgeConfig, openJudge } from './judge.ts';
export { FILE_CHARS, type JudgedTask, judgeMessages } from './prompt.ts';
