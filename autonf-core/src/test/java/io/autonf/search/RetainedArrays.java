package io.autonf.search;

import io.autonf.flow.Parameter;
import io.autonf.flow.Transform;
import io.autonf.nn.Network;

import java.lang.reflect.Array;
import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.util.ArrayDeque;
import java.util.Collections;
import java.util.Deque;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Set;

/**
 * The bytes of the primitive arrays an object keeps reachable that belong to it alone: the walk stops at the
 * shared things a pass refers to (its transform, networks, parameters, and their cached weights and factors).
 */
final class RetainedArrays {

    private RetainedArrays() {
    }

    /** Bytes reachable from {@code root} but not through {@code excluded} (e.g. the pass's input batch). */
    static long bytes(Object root, Object... excluded) throws IllegalAccessException {
        Set<Object> seen = Collections.newSetFromMap(new IdentityHashMap<>());
        for (Object e : excluded) {
            seen.add(e);
        }
        Deque<Object> todo = new ArrayDeque<>();
        todo.push(root);
        long total = 0;
        while (!todo.isEmpty()) {
            Object o = todo.pop();
            if (o == null || !seen.add(o) || shared(o)) {
                continue;
            }
            Class<?> c = o.getClass();
            if (c.isArray()) {
                Class<?> element = c.getComponentType();
                int n = Array.getLength(o);
                if (element.isPrimitive()) {
                    total += (long) n * elementBytes(element);
                } else {
                    for (int i = 0; i < n; i++) {
                        todo.push(Array.get(o, i));
                    }
                }
            } else if (o instanceof List<?> list) {
                list.forEach(todo::push);
            } else if (c.getName().startsWith("io.autonf.")) {
                for (Class<?> k = c; k != null && k != Object.class; k = k.getSuperclass()) {
                    for (Field f : k.getDeclaredFields()) {
                        if (Modifier.isStatic(f.getModifiers()) || f.getType().isPrimitive()) {
                            continue;
                        }
                        f.setAccessible(true);
                        todo.push(f.get(o));
                    }
                }
            }
        }
        return total;
    }

    private static boolean shared(Object o) {
        String name = o.getClass().getName();
        return o instanceof Transform || o instanceof Network || o instanceof Parameter
                || name.endsWith("Linear") || name.contains("Linear$") || name.contains("Settings")
                || name.contains("ElementwiseMaps$");
    }

    private static int elementBytes(Class<?> type) {
        if (type == double.class || type == long.class) {
            return 8;
        }
        if (type == float.class || type == int.class) {
            return 4;
        }
        if (type == short.class || type == char.class) {
            return 2;
        }
        return 1;
    }
}
