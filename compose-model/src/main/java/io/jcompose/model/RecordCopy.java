package io.jcompose.model;

import java.lang.reflect.RecordComponent;
import java.util.Map;

/** Copies a record with some components replaced (the model's records have many components). */
final class RecordCopy {
  private RecordCopy() {}

  static <T extends Record> T with(T record, Map<String, Object> changes) {
    RecordComponent[] comps = record.getClass().getRecordComponents();
    Object[] args = new Object[comps.length];
    Class<?>[] types = new Class<?>[comps.length];
    try {
      for (int i = 0; i < comps.length; i++) {
        types[i] = comps[i].getType();
        args[i] = changes.containsKey(comps[i].getName()) ? changes.get(comps[i].getName()) : comps[i].getAccessor().invoke(record);
      }
      @SuppressWarnings("unchecked")
      Class<T> type = (Class<T>) record.getClass();
      return type.getDeclaredConstructor(types).newInstance(args);
    } catch (ReflectiveOperationException e) {
      throw new IllegalStateException("cannot copy " + record.getClass().getSimpleName(), e);
    }
  }
}
