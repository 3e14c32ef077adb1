// The movement states of spec v0 (the state machine of reference/domain/movement.ts), as published in the OpenAPI document.
import { Type } from '@sinclair/typebox';
import { MovementStates } from '../domain/movement.ts';

export const MovementStateSchema = Type.Union(MovementStates.map((s) => Type.Literal(s)));
