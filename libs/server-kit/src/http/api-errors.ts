import { applyDecorators } from '@nestjs/common';
import { ApiResponse } from '@nestjs/swagger';
import type { SchemaObject } from '@nestjs/swagger';
import { ERROR_SCHEMA, INVALID_EVENT_SCHEMA } from '../ops/api-schemas';

/** An error answer: its description, and the body's schema when it is not the plain error body. */
export interface ApiErrorAnswer {
  description: string;
  schema: SchemaObject;
}

/** A 400 whose body lists the fields that are wrong and why. */
export function withFieldErrors(description: string): ApiErrorAnswer {
  return { description, schema: INVALID_EVENT_SCHEMA };
}

/**
 * The error answers of an operation (or of every operation of a controller), by status.
 * Every error body of both servers has one shape, so each answer needs only its reason.
 */
export function ApiErrors(
  answers: Partial<Record<number, string | ApiErrorAnswer>>,
): MethodDecorator & ClassDecorator {
  return applyDecorators(
    ...Object.entries(answers).map(([status, answer]) =>
      ApiResponse({
        status: Number(status),
        ...(typeof answer === 'string' ? { description: answer, schema: ERROR_SCHEMA } : answer),
      }),
    ),
  );
}
