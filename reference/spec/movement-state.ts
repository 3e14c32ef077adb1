// The movement states of spec v0, as published in the OpenAPI document; the
// state machine over them is reference/domain/movement.ts.
import { Type } from '@sinclair/typebox';

export const MovementStates = [
  'SUBMITTED', // lodged, being validated (IE015 received)
  'REJECTED', // failed validation (IE056); final
  'ACCEPTED', // MRN allocated (IE028), may be amended or cancelled
  'AWAITING_GUARANTEE', // guarantee registered in another country: its answer to IE203 awaited (IE205); may be cancelled
  'UNDER_CONTROL', // customs decided to control before release (IE060)
  'RELEASED', // released for transit (IE029); guarantee reserved
  'NOT_RELEASED', // release refused (IE051); final
  'CANCELLED', // invalidated at the holder's request before release (IE009); final
  'IN_TRANSIT', // at least one crossing notified by an office of transit (IE118)
  'ARRIVED', // arrival notified at the office of destination (IE007/IE006)
  'CONTROLLED', // unloading / control results in from destination (IE044/IE018), conform or settled
  'WRITTEN_OFF', // discharged, guarantee released (IE045); final
  'ENQUIRY', // time limit passed without arrival: enquiry open (IE142 to destination, IE140 to the holder)
  'DISCREPANCIES', // non-conform control results (IE019 to the holder) awaiting customs' decision
  'RECOVERY', // recovery of the debt under way (IE150); guarantee still held
  'RECOVERED', // debt recovered, the guarantee charged (IE152, IE045); final
  'INVALIDATED', // invalidated by customs after release (IE009 to the holder, IE010 to the offices); final
] as const;

export type MovementState = (typeof MovementStates)[number];

export const MovementStateSchema = Type.Union(MovementStates.map((s) => Type.Literal(s)));
