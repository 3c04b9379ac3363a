package io.jcompose.model;

import java.lang.reflect.RecordComponent;
import java.util.Map;

/** Copies a record with some components replaced, and caches the reflection data the loader and printer use. */
public final class RecordCopy {
  private RecordCopy() {}

  /** Reflection data per record class, looked up once (reflection objects are costly to create). */
  public record Shape(RecordComponent[] components, java.lang.reflect.Method[] accessors, java.lang.reflect.Constructor<?> constructor) {}

  private static final java.util.concurrent.ConcurrentHashMap<Class<?>, Shape> SHAPES = new java.util.concurrent.ConcurrentHashMap<>();

  /** The cached reflection data of a record class. */
  public static Shape shape(Class<?> type) {
    return SHAPES.computeIfAbsent(type, t -> {
      RecordComponent[] comps = t.getRecordComponents();
      java.lang.reflect.Method[] accessors = new java.lang.reflect.Method[comps.length];
      Class<?>[] types = new Class<?>[comps.length];
      for (int i = 0; i < comps.length; i++) {
        accessors[i] = comps[i].getAccessor();
        types[i] = comps[i].getType();
      }
      try {
        return new Shape(comps, accessors, t.getDeclaredConstructor(types));
      } catch (NoSuchMethodException e) {
        throw new IllegalStateException(e);
      }
    });
  }

  /** A record whose components are all absent (null, zero, empty) except the given ones. */
  static <T extends Record> T of(Class<T> type, Map<String, Object> values) {
    Shape shape = shape(type);
    RecordComponent[] comps = shape.components();
    Object[] args = new Object[comps.length];
    for (int i = 0; i < comps.length; i++) {
      Class<?> t = comps[i].getType();
      if (values.containsKey(comps[i].getName())) {
        args[i] = values.get(comps[i].getName());
      } else if (t == boolean.class) {
        args[i] = false;
      } else if (t == int.class) {
        args[i] = 0;
      } else if (t == long.class) {
        args[i] = 0L;
      } else if (t == double.class) {
        args[i] = 0.0;
      }
    }
    try {
      return type.cast(shape.constructor().newInstance(args));
    } catch (ReflectiveOperationException e) {
      throw new IllegalStateException("cannot create " + type.getSimpleName(), e);
    }
  }

  static <T extends Record> T with(T record, Map<String, Object> changes) {
    Shape shape = shape(record.getClass());
    RecordComponent[] comps = shape.components();
    Object[] args = new Object[comps.length];
    try {
      for (int i = 0; i < comps.length; i++) {
        args[i] = changes.containsKey(comps[i].getName()) ? changes.get(comps[i].getName()) : shape.accessors()[i].invoke(record);
      }
      @SuppressWarnings("unchecked")
      T copy = (T) shape.constructor().newInstance(args);
      return copy;
    } catch (ReflectiveOperationException e) {
      throw new IllegalStateException("cannot copy " + record.getClass().getSimpleName(), e);
    }
  }
}
